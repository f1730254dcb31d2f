list(APPEND OMNI_LIB_SOURCES
  src/demo/demo_common.cpp
  src/demo/demo_home.cpp
  src/demo/demo_healing.cpp
  src/demo/demo_loader.cpp
  src/demo/demo_matrix.cpp
  src/demo/demo_multiverse.cpp
  src/demo/demo_pipeline.cpp
  src/demo/demo_stress.cpp
  src/demo/packages.cpp
  src/demo/wheel_builder.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/demo/wheel_builder_test.cpp
)
