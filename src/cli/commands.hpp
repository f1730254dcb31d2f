#pragma once
// One register function per subcommand; each binds its flags and sets a
// callback that calls into the library and prints the outcome.
namespace CLI {
class App;
}

namespace omni::cli {

class Context;

void register_config_command(CLI::App& app, Context& context);
void register_python_command(CLI::App& app, Context& context);
// install, uninstall, update-catalogue and catalogue under `omni python`.
void register_python_install_commands(CLI::App& python, Context& context);
void register_swap_command(CLI::App& app, Context& context);
void register_shell_init_command(CLI::App& app, Context& context);
void register_bubble_command(CLI::App& app, Context& context);
void register_workers_command(CLI::App& app, Context& context);
void register_install_command(CLI::App& app, Context& context);
void register_exec_command(CLI::App& app, Context& context);
void register_list_command(CLI::App& app, Context& context);
void register_freeze_command(CLI::App& app, Context& context);
// lock and sync (lock_command.cpp).
void register_lock_command(CLI::App& app, Context& context);
void register_sync_command(CLI::App& app, Context& context);
void register_run_command(CLI::App& app, Context& context);
void register_matrix_command(CLI::App& app, Context& context);
void register_demo_command(CLI::App& app, Context& context);
void register_completion_command(CLI::App& app, Context& context);
void register_doctor_command(CLI::App& app, Context& context);
void register_versions_command(CLI::App& app, Context& context);
void register_cache_command(CLI::App& app, Context& context);
void register_uninstall_command(CLI::App& app, Context& context);
// history and revert (history_command.cpp, revert_command.cpp).
void register_history_command(CLI::App& app, Context& context);
void register_revert_command(CLI::App& app, Context& context);
void register_info_command(CLI::App& app, Context& context);
// which, rehash and shell: the shims.
void register_shims_commands(CLI::App& app, Context& context);
void register_venv_command(CLI::App& app, Context& context);
// `omni help [COMMAND...]`, from the commands registered before it.
void register_help_command(CLI::App& app);

}  // namespace omni::cli
