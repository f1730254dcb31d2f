list(APPEND OMNI_LIB_SOURCES
  src/standards/version.cpp
  src/standards/specifier.cpp
  src/standards/name.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/standards/version_test.cpp
  tests/unit/standards/specifier_test.cpp
  tests/unit/standards/name_test.cpp
)
