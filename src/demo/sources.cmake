list(APPEND OMNI_LIB_SOURCES
  src/demo/wheel_builder.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/demo/wheel_builder_test.cpp
)
