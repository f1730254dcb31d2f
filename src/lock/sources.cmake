list(APPEND OMNI_LIB_SOURCES
  src/lock/freeze.cpp
  src/lock/history.cpp
  src/lock/make_lock.cpp
  src/lock/pylock.cpp
  src/lock/revert.cpp
  src/lock/sync.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/lock/pylock_test.cpp
)
