/* Jumps to an unmapped address: QEMU raises InstrPIFAddrError into a vector full of zeros and
 * spins forever; espsim must stop with a one-line report naming the address. */
    .text
    .global main
    .align 4
.Lbad: .word 0x12345678
main:
    l32r    a2, .Lbad
    jx      a2
