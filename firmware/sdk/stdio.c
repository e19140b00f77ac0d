/* stdio.c — picolibc's stdout/stderr for firmware: printf(), puts() and friends write through
 * the ROM console (ets_write_char: putc1 — the ROM's UART writer, "\n" -> "\r\n" — then putc2),
 * the same path as os_printf. Linked only when the application uses stdio. No input. */
#include <stdio.h>

#include "ets_sys.h"

static int console_put(char c, FILE *f)
{
    (void)f;
    ets_write_char(c);
    return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(console_put, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdout = &console;
FILE *const stderr = &console;
