/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statefile.h - the name -> vnetIndex map, kept across restarts.
 *
 * A name keeps its index forever; a new name gets a number never used
 * before (the file records the high-water mark). The file is written
 * atomically: temp file in the same directory, fsync, rename, fsync dir.
 */
#ifndef VN_STATEFILE_H
#define VN_STATEFILE_H

#include "vnet.h"

#define VN_STATE_FILE "indexes"

struct vn_stateent {
	char name[VN_NAME_MAX + 1];
	uint32_t index;
};

struct vn_statemap {
	struct vn_stateent *ents; /* sorted by name */
	size_t n;
	size_t cap;
	uint32_t next; /* next unused index, >= 1 */
};

void vn_state_init(struct vn_statemap *m);
void vn_state_free(struct vn_statemap *m);

/*
 * Load path into m (which is reset first). Returns 0 when the file was read
 * whole or does not exist (empty map), 1 when it was truncated or garbled:
 * what could be read is kept, err says what was wrong, and the caller logs
 * it and saves a clean file. -1 on an I/O error other than ENOENT, with err.
 */
int vn_state_load(struct vn_statemap *m, const char *path, char *err,
		  size_t errlen);

/*
 * The index of name, assigning the next unused one if it has none
 * (*added set to true then). Returns 0 when the index space is used up,
 * on allocation failure, or when name is not a valid vnetName for the
 * file (1..64 characters of printable ASCII, no blanks).
 */
uint32_t vn_state_index(struct vn_statemap *m, const char *name, bool *added);

/* Write m to path atomically. 0, or -1 with err. */
int vn_state_save(const struct vn_statemap *m, const char *path, char *err,
		  size_t errlen);

/* Can a state file be written in dir? 0, or -1 with err (for start-up). */
int vn_state_check_dir(const char *dir, char *err, size_t errlen);

#endif /* VN_STATEFILE_H */
