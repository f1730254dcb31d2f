list(APPEND OMNI_LIB_SOURCES
  src/bubble/activation.cpp
  src/bubble/bubble.cpp
  src/bubble/bubble_set.cpp
  src/bubble/doctor_envs.cpp
  src/bubble/hold.cpp
  src/bubble/installation_report.cpp
  src/bubble/loader.cpp
  src/bubble/provision.cpp
  src/bubble/seed.cpp
  src/bubble/source_builds.cpp
  src/bubble/store.cpp
  src/bubble/workers.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/bubble/store_test.cpp
)
