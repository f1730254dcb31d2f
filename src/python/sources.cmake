list(APPEND OMNI_LIB_SOURCES
  src/python/version.cpp
  src/python/request.cpp
  src/python/interpreter.cpp
  src/python/query.cpp
  src/python/discovery.cpp
  src/python/registry_file.cpp
  src/python/registry.cpp
  src/python/main_env.cpp
  src/python/env_interpreter.cpp
  src/python/choice.cpp
  src/python/swap.cpp
  src/python/venv.cpp
  src/python/activate_scripts.cpp
  src/python/shims.cpp
  src/python/catalogue.cpp
  src/python/catalogue_update.cpp
  src/python/archive_extract.cpp
  src/python/managed_install.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/python/request_test.cpp
  tests/unit/python/registry_test.cpp
  tests/unit/python/main_env_test.cpp
  tests/unit/python/swap_test.cpp
  tests/unit/python/catalogue_test.cpp
  tests/unit/python/archive_extract_test.cpp
)
