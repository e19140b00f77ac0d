# gen_rom_ld.cmake — turns the ROM symbol table (models/rom/rom_symbols.inc, an X-macro list
# generated from the public ROM symbol list) into linker-script PROVIDEs for firmware.
#
#   cmake -DIN=models/rom/rom_symbols.inc -DOUT=build/.../rom_symbols.ld -P gen_rom_ld.cmake
#
# For every entry X(name, 0xADDRu) of ESP_ROM_FUNCS and ESP_ROM_DATA it writes
#   PROVIDE ( name = 0xADDR );      the usual name: used only when nothing else defines it
#   PROVIDE ( rom_name = 0xADDR );  always the ROM routine, even where libc/libgcc define the
#                                   plain name (memcpy, strlen, __divsi3 ...): see espsim_rom.h
# The output is rewritten only when its contents change, so relinking follows real changes.
if(NOT IN OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DIN=rom_symbols.inc -DOUT=rom_symbols.ld -P gen_rom_ld.cmake")
endif()
file(READ "${IN}" text)
string(REGEX MATCHALL "X\\([A-Za-z_][A-Za-z0-9_]*, *0x[0-9A-Fa-f]+u?\\)" entries "${text}")
list(LENGTH entries n)
if(n LESS 100)
  message(FATAL_ERROR "${IN}: only ${n} ROM symbols found (expected the full ROM table)")
endif()
get_filename_component(in_name "${IN}" NAME)
set(out "/* Generated from ${in_name} by firmware/sdk/ld/gen_rom_ld.cmake. Do not edit. */\n")
string(APPEND out "/* ${n} ROM symbols: PROVIDE(name) and PROVIDE(rom_name) for each. */\n")
foreach(e IN LISTS entries)
  string(REGEX REPLACE "X\\(([A-Za-z0-9_]+), *(0x[0-9A-Fa-f]+)u?\\)" "\\1;\\2" pair "${e}")
  list(GET pair 0 name)
  list(GET pair 1 addr)
  string(APPEND out "PROVIDE ( ${name} = ${addr} );\nPROVIDE ( rom_${name} = ${addr} );\n")
endforeach()
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL out)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${out}")
