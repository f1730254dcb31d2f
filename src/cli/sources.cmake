list(APPEND OMNI_CLI_SOURCES
  src/cli/main.cpp
  src/cli/app.cpp
  src/cli/context.cpp
  src/cli/demo_command.cpp
  src/cli/passthrough.cpp
  src/cli/completion_command.cpp
  src/cli/config_command.cpp
  src/cli/bubble_command.cpp
  src/cli/exec_command.cpp
  src/cli/install_command.cpp
  src/cli/list_command.cpp
  src/cli/matrix_command.cpp
  src/cli/run_command.cpp
  src/cli/python_command.cpp
  src/cli/swap_command.cpp
  src/cli/shell_init_command.cpp
)
