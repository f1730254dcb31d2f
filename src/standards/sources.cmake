list(APPEND OMNI_LIB_SOURCES
  src/standards/version.cpp
  src/standards/specifier.cpp
  src/standards/name.cpp
  src/standards/marker.cpp
  src/standards/requirement.cpp
  src/standards/tags.cpp
  src/standards/wheel_name.cpp
  src/standards/metadata.cpp
  src/standards/script_metadata.cpp
  src/standards/sdist_name.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/standards/version_test.cpp
  tests/unit/standards/specifier_test.cpp
  tests/unit/standards/name_test.cpp
  tests/unit/standards/marker_test.cpp
  tests/unit/standards/requirement_test.cpp
  tests/unit/standards/tags_test.cpp
  tests/unit/standards/metadata_test.cpp
  tests/unit/standards/script_metadata_test.cpp
)
