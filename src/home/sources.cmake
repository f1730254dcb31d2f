list(APPEND OMNI_LIB_SOURCES
  src/home/cache_lock.cpp
  src/home/home.cpp
  src/home/staging.cpp
  src/home/config.cpp
  src/home/pip_conf.cpp
  src/home/settings.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/home/home_test.cpp
  tests/unit/home/config_test.cpp
  tests/unit/home/settings_test.cpp
)
