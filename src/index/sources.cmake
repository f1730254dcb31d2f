list(APPEND OMNI_LIB_SOURCES
  src/index/names.cpp
  src/index/url.cpp
  src/index/page_error.cpp
  src/index/html_scan.cpp
  src/index/project_page.cpp
  src/index/html_page.cpp
  src/index/json_page.cpp
  src/index/find_links.cpp
  src/index/curl_handles.cpp
  src/index/http_client.cpp
  src/index/downloader.cpp
  src/index/http_cache.cpp
  src/index/wheel_cache.cpp
  src/index/zip_member.cpp
  src/index/index_client.cpp
  src/index/index_settings.cpp
  src/index/metadata_fetch.cpp
)
list(APPEND OMNI_UNIT_TEST_SOURCES
  tests/unit/index/url_test.cpp
  tests/unit/index/names_test.cpp
  tests/unit/index/html_page_test.cpp
  tests/unit/index/json_page_test.cpp
  tests/unit/index/find_links_test.cpp
)
