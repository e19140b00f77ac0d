/* firmware/nonos/glue.c — what Espressif's closed libraries expect from the C library and that
 * Debian's picolibc names differently: liblwip's ip_addr.o uses newlib's ctype table pointer
 * __ctype_ptr__ (lookups at __ctype_ptr__[1 + c]); picolibc's _ctype_ has the same layout and
 * flag bits (_U 01 ... _B 0200). docs/nonos-sdk.md. */
extern const char _ctype_[];
const char *__ctype_ptr__ = _ctype_;
