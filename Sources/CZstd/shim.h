#ifndef ATTRDB_CZSTD_SHIM_H
#define ATTRDB_CZSTD_SHIM_H

/* The one-shot compression API of zstd (ZSTD_compressCCtx and friends), stable since 1.0: enough
   for Parquet pages, each compressed on its own. */
#include <zstd.h>

#endif
