/* Spins forever: the instruction limit (virtual timeout) must end the run. */
    .text
    .global main
main:
    j       main
