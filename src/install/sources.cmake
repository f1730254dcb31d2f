list(APPEND OMNI_LIB_SOURCES
  src/install/installed.cpp
  src/install/installer.cpp
  src/install/unpacked_wheel.cpp
  src/install/wheel_checks.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/install/installer_test.cpp
)
