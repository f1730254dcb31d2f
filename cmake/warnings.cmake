function(omni_apply_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wconversion -Wsign-conversion -Wdouble-promotion
    -Wimplicit-fallthrough)
  if(OMNI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
