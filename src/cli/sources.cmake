list(APPEND OMNI_CLI_SOURCES
  src/cli/main.cpp
  src/cli/app.cpp
  src/cli/context.cpp
  src/cli/config_command.cpp
)
