list(APPEND OMNI_LIB_SOURCES
  src/util/ansi.cpp
  src/util/edit_distance.cpp
  src/util/error.cpp
  src/util/fs.cpp
  src/util/hash.cpp
  src/util/file_lock.cpp
  src/util/log.cpp
  src/util/process.cpp
  src/util/thread_pool.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/util/ansi_test.cpp
  tests/unit/util/error_test.cpp
  tests/unit/util/fs_test.cpp
  tests/unit/util/hash_test.cpp
  tests/unit/util/file_lock_test.cpp
  tests/unit/util/process_test.cpp
  tests/unit/util/thread_pool_test.cpp
  tests/unit/util/log_test.cpp
)
