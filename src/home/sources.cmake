list(APPEND OMNI_LIB_SOURCES
  src/home/home.cpp
  src/home/staging.cpp
  src/home/config.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/home/home_test.cpp
  tests/unit/home/config_test.cpp
)
