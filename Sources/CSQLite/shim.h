#ifndef ATTRDB_CSQLITE_SHIM_H
#define ATTRDB_CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_STATIC and SQLITE_TRANSIENT are macros casting integers to function pointers, which Swift
   cannot import; they are rebuilt here as functions returning the same values. */
static inline sqlite3_destructor_type attrdb_sqlite_static(void) { return SQLITE_STATIC; }
static inline sqlite3_destructor_type attrdb_sqlite_transient(void) { return SQLITE_TRANSIENT; }

/* sqlite3_db_config is variadic, which Swift cannot call. */
static inline int attrdb_db_config_defensive(sqlite3 *db, int on) {
#ifdef SQLITE_DBCONFIG_DEFENSIVE
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
#else
    return SQLITE_OK;
#endif
}

#endif
