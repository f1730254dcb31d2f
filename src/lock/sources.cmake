list(APPEND OMNI_LIB_SOURCES
  src/lock/freeze.cpp
)
