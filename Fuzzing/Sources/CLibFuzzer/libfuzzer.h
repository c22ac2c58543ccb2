// libFuzzer's entry point for a program with a main of its own (compiler-rt, FuzzerInterface.h /
// FuzzerDriver.cpp): parses libFuzzer's flags from argv and fuzzes `callback`. Linked in by
// -sanitize=fuzzer; declared here because no header of it ships with the toolchain.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
