    .text
    .global _start
_start:
    j _start
    .section .stray, "aw"
    .word 1, 2, 3
