# Embed a text file into C as a NUL-terminated char array (bytes, so no string-length limits).
# Usage: cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPLACE "0x0a," "0x0a,\n  " bytes "${bytes}")
file(WRITE "${OUT}" "/* Generated from ${IN} by cmake/embed.cmake: do not edit. */\n"
     "extern const unsigned char ${NAME}[];\nconst unsigned char ${NAME}[] = {\n  ${bytes}0x00};\n")
