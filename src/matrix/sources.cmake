list(APPEND OMNI_LIB_SOURCES
  src/matrix/bisect.cpp
  src/matrix/cell.cpp
  src/matrix/cell_evidence.cpp
  src/matrix/html_report.cpp
  src/matrix/matrix_run.cpp
  src/matrix/plan.cpp
  src/matrix/python_axis.cpp
  src/matrix/report.cpp
  src/matrix/runner.cpp
  src/matrix/workspace.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/matrix/cell_test.cpp
  tests/unit/matrix/html_report_test.cpp
  tests/unit/matrix/report_test.cpp
  tests/unit/matrix/runner_test.cpp
)
