#ifndef ATTRDB_CNUMBERFORMAT_SHIM_H
#define ATTRDB_CNUMBERFORMAT_SHIM_H

#include <stddef.h>
#include <stdio.h>

/* A Double's text at `precision` digits after the point, fixed-point ('f') or with an exponent
   ('e'), as printf rounds it (the exact binary value, ties to even): the people formats' digits.
   snprintf is variadic, which Swift cannot call; Swift's withVaList casts each argument at run
   time, which cost the `table` format of 81 000 rows more than the digits themselves. */
static inline int attrdb_format_double(char *buffer, size_t size, int precision, char conversion, double value) {
    return conversion == 'e' ? snprintf(buffer, size, "%.*e", precision, value)
                             : snprintf(buffer, size, "%.*f", precision, value);
}

#endif
