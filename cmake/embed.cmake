# Turns a text file into a header with one string constant, at build time.
# usage: cmake -DINPUT=file -DOUTPUT=header -DNAME=identifier -P embed.cmake
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}.tmp" "#pragma once\n// Generated from ${INPUT}; do not edit.\ninline constexpr const char ${NAME}[] = R\"omni_embed(${content})omni_embed\";\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
