/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alloccount.c - an LD_PRELOAD shim that counts heap allocations per thread.
 *
 * For the "no per-tick allocation" measurement: load it into the agent
 * (LD_PRELOAD=alloccount.so VNET_BENCH_ALLOC_FILE=FILE) and read FILE from
 * outside at any time. The file is a shared mapping of 64-bit words:
 *
 *   [0] magic 0x766e6574616c6c63 ("vnetallc")
 *   [1] slots in use
 *   then per thread, 4 words: tid, allocations, frees, bytes requested
 *
 * An allocation is any call of malloc, calloc, realloc (also as free when
 * given size 0), posix_memalign, aligned_alloc, memalign, valloc or pvalloc.
 * Each thread only writes its own slot, so no locks; the slot is claimed
 * with one atomic add on the thread's first call. Calls made before the
 * file is mapped (the dynamic loader's) are not counted. The real work is
 * done by glibc's __libc_* entry points, so there is no dlsym() recursion.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAGIC 0x766e6574616c6c63ULL
#define SLOTS 64
#define HDR 2
#define WORDS (HDR + SLOTS * 4)

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t size);

static uint64_t *table;
static __thread int64_t my_slot __attribute__((tls_model("initial-exec"))) = -1;

__attribute__((constructor)) static void alloccount_init(void)
{
	const char *path = getenv("VNET_BENCH_ALLOC_FILE");
	void *map;
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (ftruncate(fd, WORDS * sizeof(uint64_t)) < 0) {
		close(fd);
		return;
	}
	map = mmap(NULL, WORDS * sizeof(uint64_t), PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	table = map;
	table[0] = MAGIC;
}

static uint64_t *slot(void)
{
	int64_t s = my_slot;

	if (!table)
		return NULL;
	if (s < 0) {
		s = (int64_t)__atomic_fetch_add(&table[1], 1, __ATOMIC_RELAXED);
		if (s >= SLOTS)
			s = SLOTS - 1; /* more threads than slots: share */
		my_slot = s;
		table[HDR + s * 4] = (uint64_t)syscall(SYS_gettid);
	}
	return &table[HDR + s * 4];
}

static void count_alloc(size_t size)
{
	uint64_t *sl = slot();

	if (sl) {
		sl[1]++;
		sl[3] += size;
	}
}

static void count_free(void *p)
{
	uint64_t *sl;

	if (!p)
		return;
	sl = slot();
	if (sl)
		sl[2]++;
}

void *malloc(size_t size)
{
	count_alloc(size);
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	count_alloc(n * size);
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	if (p && size == 0)
		count_free(p);
	else
		count_alloc(size);
	return __libc_realloc(p, size);
}

void free(void *p)
{
	count_free(p);
	__libc_free(p);
}

void *memalign(size_t align, size_t size)
{
	count_alloc(size);
	return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	count_alloc(size);
	return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	count_alloc(size);
	p = __libc_memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	count_alloc(size);
	return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	count_alloc(size);
	return __libc_memalign(page, (size + page - 1) & ~(page - 1));
}
