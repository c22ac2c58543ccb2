#ifndef ATTRDB_CSYSTEMZLIB_SHIM_H
#define ATTRDB_CSYSTEMZLIB_SHIM_H

#include <zlib.h>

/* inflateInit2 is a macro passing zlib's version and sizeof(z_stream), which Swift cannot import.
   15 + 16: a 32 KiB window, and gzip (RFC 1952) framing only, so zlib checks each member's header
   and verifies its CRC-32 and length trailer itself. */
static inline int attrdb_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif
