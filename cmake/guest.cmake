# Building guest programs (Xtensa lx106 ELFs) with Debian's xtensa-lx106-elf-gcc.
#
# espsim_guest_program(NAME SOURCES src... [CFLAGS flags...])
#   Builds ${CMAKE_CURRENT_BINARY_DIR}/NAME.elf for the qemu-sim machine: the sources plus the
#   qemu-sim runtime (firmware/qsim-rt: reset stub, crt0, semihosting; the libgcc helpers of
#   firmware/sdk/libgcc_helpers.c).
#   Target NAME_elf builds it as part of ALL.

find_program(XTENSA_GCC xtensa-lx106-elf-gcc)
find_program(XTENSA_OBJDUMP xtensa-lx106-elf-objdump)
find_program(XTENSA_AS xtensa-lx106-elf-as)
find_program(QEMU_XTENSA qemu-system-xtensa)
if(NOT XTENSA_GCC OR NOT XTENSA_OBJDUMP)
  message(FATAL_ERROR "xtensa-lx106-elf-gcc/objdump not found: run scripts/deps.sh "
                      "(or configure with -DESPSIM_GUEST=OFF)")
endif()

set(QSIM_RT_DIR ${PROJECT_SOURCE_DIR}/firmware/qsim-rt)
# The integer helpers Debian's libgcc lacks: the same file firmware/sdk uses.
set(QSIM_RT_SOURCES ${QSIM_RT_DIR}/crt0.S ${QSIM_RT_DIR}/qsim.c
    ${PROJECT_SOURCE_DIR}/firmware/sdk/libgcc_helpers.c)
set(QSIM_GUEST_CFLAGS -O2 -g -fdebug-prefix-map=${PROJECT_SOURCE_DIR}=. -std=gnu11 -Wall -Wextra -ffreestanding -fno-builtin
    -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections -I${QSIM_RT_DIR})

function(espsim_guest_program name)
  cmake_parse_arguments(G "" "" "SOURCES;CFLAGS" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.elf)
  set(srcs)
  foreach(s ${G_SOURCES})
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND srcs ${abs})
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${XTENSA_GCC} ${QSIM_GUEST_CFLAGS} ${G_CFLAGS} -nostdlib -nostartfiles
            -T ${QSIM_RT_DIR}/qsim.ld -Wl,--gc-sections -o ${out} ${srcs} ${QSIM_RT_SOURCES} -lgcc
    DEPENDS ${srcs} ${QSIM_RT_SOURCES} ${QSIM_RT_DIR}/qsim.ld ${QSIM_RT_DIR}/qsim.h
    COMMENT "xtensa-lx106-elf-gcc ${name}.elf"
    VERBATIM)
  add_custom_target(${name}_elf ALL DEPENDS ${out})
endfunction()
