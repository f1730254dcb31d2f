list(APPEND OMNI_LIB_SOURCES
  src/run/analysis.cpp
  src/run/analyze_binary_incompatible.cpp
  src/run/analyze_broken_install.cpp
  src/run/analyze_missing_distribution.cpp
  src/run/analyze_missing_module.cpp
  src/run/analyze_missing_name.cpp
  src/run/analyze_python_version.cpp
  src/run/analyze_version_assertion.cpp
  src/run/heal_memory.cpp
  src/run/healer.cpp
  src/run/import_names.cpp
  src/run/import_resolution.cpp
  src/run/provisioned_environment.cpp
  src/run/runner.cpp
  src/run/source_window.cpp
  src/run/traceback.cpp
  src/run/version_expression.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/run/traceback_test.cpp
  tests/unit/run/analysis_test.cpp
)
