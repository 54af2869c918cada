/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NIST P-256 arithmetic, internal to lib/ (used by lib/ecdsa.c and the
 * tests).  Scalars are plain integers in four little-endian 64-bit limbs;
 * points are projective (X:Y:Z) with coordinates in Montgomery form, the
 * neutral element being (0:1:0).  Unless a name says vartime, a function's
 * time and memory accesses do not depend on the values it is given.
 */
#ifndef TV_LIB_P256_H
#define TV_LIB_P256_H

#include "lib/base.h"

struct p256_point {
	u64 x[4], y[4], z[4];
};

/* Big-endian 32 bytes <-> limbs; no reduction. */
void p256_scalar_from_bytes(u64 out[4], const u8 in[32]);
void p256_scalar_to_bytes(u8 out[32], const u64 in[4]);
/* All-ones if 1 <= k < n, else 0. */
u64 p256_scalar_valid_mask(const u64 k[4]);
/* All-ones if k == 0, else 0. */
u64 p256_scalar_zero_mask(const u64 k[4]);
/* r = a mod n for any a < 2^256. */
void p256_scalar_reduce(u64 r[4], const u64 a[4]);
/* r = a + b, a * b and a^-1 (0 for 0) mod n; inputs must be < n. */
void p256_scalar_add(u64 r[4], const u64 a[4], const u64 b[4]);
void p256_scalar_mul(u64 r[4], const u64 a[4], const u64 b[4]);
void p256_scalar_inv(u64 r[4], const u64 a[4]);

void p256_point_set_infinity(struct p256_point *r);
void p256_point_set_generator(struct p256_point *r);
/* Complete formulas: correct for every pair of inputs, infinity included. */
void p256_point_add(struct p256_point *r, const struct p256_point *a,
		    const struct p256_point *b);
void p256_point_double(struct p256_point *r, const struct p256_point *a);
/* r = k * a for any 256-bit k (k need not be reduced). */
void p256_point_mul(struct p256_point *r, const struct p256_point *a,
		    const u64 k[4]);
void p256_point_mul_base(struct p256_point *r, const u64 k[4]);
/* r = u1 * G + u2 * q; for public inputs only. */
void p256_point_mul2_vartime(struct p256_point *r, const u64 u1[4],
			     const u64 u2[4], const struct p256_point *q);
/* All-ones if a is the neutral element, else 0. */
u64 p256_point_infinity_mask(const struct p256_point *a);
/* Affine big-endian coordinates; the neutral element gives (0, 0). */
void p256_point_to_affine(u8 x[32], u8 y[32], const struct p256_point *a);
/*
 * Imports affine coordinates (public data): TV_EINVAL unless both are below p
 * and the point is on the curve.  r is untouched on error.
 */
int p256_point_from_affine(struct p256_point *r, const u8 x[32],
			   const u8 y[32]);

/*
 * ECDH primitive (SP 800-56A 5.7.1.2): z = x-coordinate of priv * peer,
 * big-endian.  TV_EINVAL, z untouched, if the peer point is not on the
 * curve or priv is not in [1, n-1].
 */
int p256_ecdh(u8 z[32], const u8 priv[32], const u8 peer_x[32],
	      const u8 peer_y[32]);

#endif
