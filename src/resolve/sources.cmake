list(APPEND OMNI_LIB_SOURCES
  src/resolve/incompatibility.cpp
  src/resolve/index_source.cpp
  src/resolve/memory_source.cpp
  src/resolve/offered_versions.cpp
  src/resolve/package_table.cpp
  src/resolve/partial_solution.cpp
  src/resolve/report.cpp
  src/resolve/requirements_file.cpp
  src/resolve/target_platform.cpp
  src/resolve/solver.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/resolve/resolver_test.cpp
  tests/unit/resolve/requirements_file_test.cpp
)
