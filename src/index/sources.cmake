# zlib inflates single members of remote wheels (zip central directory reads).
find_package(ZLIB REQUIRED)
list(APPEND OMNI_LIB_SOURCES
  src/index/names.cpp
  src/index/url.cpp
  src/index/page_error.cpp
  src/index/html_scan.cpp
  src/index/project_page.cpp
  src/index/html_page.cpp
  src/index/json_page.cpp
  src/index/find_links.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/index/url_test.cpp
  tests/unit/index/names_test.cpp
  tests/unit/index/html_page_test.cpp
  tests/unit/index/json_page_test.cpp
  tests/unit/index/find_links_test.cpp
)
