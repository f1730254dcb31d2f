list(APPEND OMNI_LIB_SOURCES
  src/install/build_system.cpp
  src/install/built_wheels.cpp
  src/install/installed.cpp
  src/install/env_check.cpp
  src/install/env_history.cpp
  src/install/env_transaction.cpp
  src/install/installer.cpp
  src/install/metadata_consistency.cpp
  src/install/sdist.cpp
  src/install/source_build.cpp
  src/install/unpacked_wheel.cpp
  src/install/wheel_checks.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/install/build_system_test.cpp
  tests/unit/install/installer_test.cpp
  tests/unit/install/env_transaction_test.cpp
  tests/unit/install/env_history_test.cpp
)
