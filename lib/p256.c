// SPDX-License-Identifier: GPL-2.0
/*
 * NIST P-256 (FIPS 186-4 D.1.2.3 / SEC 2) field, scalar and point arithmetic.
 *
 * Both the field (mod p) and the scalars (mod n) use one generic Montgomery
 * multiplication over four 64-bit limbs, inlined into a constant-folded copy
 * per modulus; every reduction ends in a masked subtraction, never a branch.  Points use the complete projective formulas
 * of Renes, Costello and Batina (ePrint 2015/1060, algorithms 4 and 6 for
 * a = -3): they have no exceptional cases, so the constant-time scalar
 * multiplication needs no special handling of infinity or doubling.
 */
#include "lib/p256.h"
#include "lib/ct.h"

typedef unsigned __int128 u128;

struct p256_modulus {
	u64 m[4];
	u64 minv;		/* -m^-1 mod 2^64 */
	u64 rr[4];		/* 2^512 mod m, to enter Montgomery form */
	u64 one[4];		/* 2^256 mod m, i.e. 1 in Montgomery form */
	u64 m_minus_2[4];	/* Fermat exponent for inversion */
};

static const struct p256_modulus fp = {
	.m = { 0xffffffffffffffffULL, 0x00000000ffffffffULL,
	       0x0000000000000000ULL, 0xffffffff00000001ULL },
	.minv = 1,
	.rr = { 0x0000000000000003ULL, 0xfffffffbffffffffULL,
		0xfffffffffffffffeULL, 0x00000004fffffffdULL },
	.one = { 0x0000000000000001ULL, 0xffffffff00000000ULL,
		 0xffffffffffffffffULL, 0x00000000fffffffeULL },
	.m_minus_2 = { 0xfffffffffffffffdULL, 0x00000000ffffffffULL,
		       0x0000000000000000ULL, 0xffffffff00000001ULL },
};

static const struct p256_modulus fn = {
	.m = { 0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL,
	       0xffffffffffffffffULL, 0xffffffff00000000ULL },
	.minv = 0xccd1c8aaee00bc4fULL,
	.rr = { 0x83244c95be79eea2ULL, 0x4699799c49bd6fa6ULL,
		0x2845b2392b6bec59ULL, 0x66e12d94f3d95620ULL },
	.one = { 0x0c46353d039cdaafULL, 0x4319055258e8617bULL,
		 0x0000000000000000ULL, 0x00000000ffffffffULL },
	.m_minus_2 = { 0xf3b9cac2fc63254fULL, 0xbce6faada7179e84ULL,
		       0xffffffffffffffffULL, 0xffffffff00000000ULL },
};

/* Curve constant b and the generator, in Montgomery form mod p. */
static const u64 p256_b[4] = {
	0xd89cdf6229c4bddfULL, 0xacf005cd78843090ULL,
	0xe5a220abf7212ed6ULL, 0xdc30061d04874834ULL,
};
static const u64 p256_gx[4] = {
	0x79e730d418a9143cULL, 0x75ba95fc5fedb601ULL,
	0x79fb732b77622510ULL, 0x18905f76a53755c6ULL,
};
static const u64 p256_gy[4] = {
	0xddf25357ce95560aULL, 0x8b4ab8e4ba19e45cULL,
	0xd2e88688dd21f325ULL, 0x8571ff1825885d85ULL,
};

/* All-ones if x == 0, else 0, without a comparison the compiler may branch on. */
static inline u64 mask_zero(u64 x)
{
	return ((x | (0 - x)) >> 63) - 1;
}

/* (r, borrow) = a - b - borrow_in for one limb; borrow is 0 or 1. */
#define SUBB(r, borrow, a, b) do {					\
		u128 _d = (u128)(a) - (b) - (borrow);				\
		(r) = (u64)_d;							\
		(borrow) = (u64)(_d >> 64) & 1;					\
	} while (0)

/* (r, carry) = a + b + carry_in for one limb. */
#define ADDC(r, carry, a, b) do {					\
		u128 _s = (u128)(a) + (b) + (carry);				\
		(r) = (u64)_s;							\
		(carry) = (u64)(_s >> 64);					\
	} while (0)

/*
 * r = a - b over 256 bits; returns the borrow (0 or 1).  Unrolled by hand
 * (as are the helpers below): -O2 leaves 4-iteration loops rolled.
 */
static inline u64 sub4(u64 r[4], const u64 a[4], const u64 b[4])
{
	u64 borrow = 0;

	SUBB(r[0], borrow, a[0], b[0]);
	SUBB(r[1], borrow, a[1], b[1]);
	SUBB(r[2], borrow, a[2], b[2]);
	SUBB(r[3], borrow, a[3], b[3]);
	return borrow;
}

/* r = a + b over 256 bits; returns the carry. */
static inline u64 add4(u64 r[4], const u64 a[4], const u64 b[4])
{
	u64 carry = 0;

	ADDC(r[0], carry, a[0], b[0]);
	ADDC(r[1], carry, a[1], b[1]);
	ADDC(r[2], carry, a[2], b[2]);
	ADDC(r[3], carry, a[3], b[3]);
	return carry;
}

/* r = mask ? a : b, limb by limb. */
static inline void select4(u64 r[4], u64 mask, const u64 a[4], const u64 b[4])
{
	r[0] = (a[0] & mask) | (b[0] & ~mask);
	r[1] = (a[1] & mask) | (b[1] & ~mask);
	r[2] = (a[2] & mask) | (b[2] & ~mask);
	r[3] = (a[3] & mask) | (b[3] & ~mask);
}

/* r = (hi:t) - m if that does not go negative, else t; (hi:t) < 2m. */
static inline void reduce_once(u64 r[4], u64 hi, const u64 t[4], const u64 m[4])
{
	u64 d[4];
	u64 borrow = sub4(d, t, m);

	/* Negative only when there was no bit 256 to borrow from. */
	select4(r, 0 - (hi | (borrow ^ 1)), d, t);
}

/* (hi:lo) = a * b + t + c, which cannot overflow 128 bits. */
#define MULADD(lo, hi, a, b, t, c) do {					\
		u128 _v = (u128)(a) * (b) + (t) + (c);				\
		(lo) = (u64)_v;							\
		(hi) = (u64)(_v >> 64);						\
	} while (0)

/*
 * One CIOS round: (t0..t4) = ((t0..t4) + a * bi + q * m) / 2^64 with q chosen
 * to clear the low limb.  Written out so that -O2 keeps everything in
 * registers and, for p, folds the zero limb and minv = 1 away.
 */
#define MONT_ROUND(bi) do {						\
		u64 _c, _q, _t5;						\
		u128 _s;							\
		MULADD(t0, _c, a[0], bi, t0, 0);				\
		MULADD(t1, _c, a[1], bi, t1, _c);				\
		MULADD(t2, _c, a[2], bi, t2, _c);				\
		MULADD(t3, _c, a[3], bi, t3, _c);				\
		_s = (u128)t4 + _c;						\
		t4 = (u64)_s;							\
		_t5 = (u64)(_s >> 64);						\
		_q = t0 * md->minv;						\
		MULADD(t0, _c, _q, md->m[0], t0, 0);				\
		MULADD(t0, _c, _q, md->m[1], t1, _c);				\
		MULADD(t1, _c, _q, md->m[2], t2, _c);				\
		MULADD(t2, _c, _q, md->m[3], t3, _c);				\
		_s = (u128)t4 + _c;						\
		t3 = (u64)_s;							\
		t4 = _t5 + (u64)(_s >> 64);					\
	} while (0)

/*
 * r = a * b * 2^-256 mod m (CIOS); a, b < m, r may alias either.  Always
 * inlined so that each modulus gets its own constant-folded copy.
 */
static inline __attribute__((always_inline))
void mont_mul(u64 r[4], const u64 a[4], const u64 b[4],
	      const struct p256_modulus *md)
{
	u64 t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
	u64 b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
	u64 t[4];

	MONT_ROUND(b0);
	MONT_ROUND(b1);
	MONT_ROUND(b2);
	MONT_ROUND(b3);
	t[0] = t0;
	t[1] = t1;
	t[2] = t2;
	t[3] = t3;
	reduce_once(r, t4, t, md->m);
}

static inline __attribute__((always_inline))
void mod_add(u64 r[4], const u64 a[4], const u64 b[4],
	     const struct p256_modulus *md)
{
	u64 t[4];
	u64 carry = add4(t, a, b);

	reduce_once(r, carry, t, md->m);
}

static inline __attribute__((always_inline))
void mod_sub(u64 r[4], const u64 a[4], const u64 b[4],
	     const struct p256_modulus *md)
{
	u64 t[4], mp[4];
	u64 mask = 0 - sub4(t, a, b);

	mp[0] = md->m[0] & mask;
	mp[1] = md->m[1] & mask;
	mp[2] = md->m[2] & mask;
	mp[3] = md->m[3] & mask;
	add4(r, t, mp);
}

/*
 * r = a^e in Montgomery form, e public: a fixed 4-bit window whose table
 * index is the exponent digit, never the base.  Inlined into one copy per
 * modulus, like mont_mul.
 */
static inline __attribute__((always_inline))
void mont_pow(u64 r[4], const u64 a[4], const u64 e[4],
	      const struct p256_modulus *md)
{
	u64 tbl[16][4];
	u64 acc[4];
	int i, j;

	memcpy(tbl[0], md->one, sizeof(tbl[0]));
	memcpy(tbl[1], a, sizeof(tbl[1]));
	for (i = 2; i < 16; i++)
		mont_mul(tbl[i], tbl[i - 1], a, md);

	memcpy(acc, tbl[0], sizeof(acc));
	for (i = 63; i >= 0; i--) {
		unsigned int digit = (e[i / 16] >> (4 * (i % 16))) & 15;

		for (j = 0; j < 4; j++)
			mont_mul(acc, acc, acc, md);
		mont_mul(acc, acc, tbl[digit], md);
	}
	memcpy(r, acc, sizeof(acc));
	secure_wipe(tbl, sizeof(tbl));
	secure_wipe(acc, sizeof(acc));
}

/* Field helpers: everything in Montgomery form mod p. */
static void fe_mul(u64 r[4], const u64 a[4], const u64 b[4])
{
	mont_mul(r, a, b, &fp);
}

static void fn_mul(u64 r[4], const u64 a[4], const u64 b[4])
{
	mont_mul(r, a, b, &fn);
}

/* a^(m-2) = a^-1 (and 0 for 0) by Fermat, in Montgomery form. */
static void fe_inv(u64 r[4], const u64 a[4])
{
	mont_pow(r, a, fp.m_minus_2, &fp);
}

static void fn_inv(u64 r[4], const u64 a[4])
{
	mont_pow(r, a, fn.m_minus_2, &fn);
}

static void fe_add(u64 r[4], const u64 a[4], const u64 b[4])
{
	mod_add(r, a, b, &fp);
}

static void fe_sub(u64 r[4], const u64 a[4], const u64 b[4])
{
	mod_sub(r, a, b, &fp);
}

/* Big-endian bytes to limbs and back. */
void p256_scalar_from_bytes(u64 out[4], const u8 in[32])
{
	int i, j;

	for (i = 0; i < 4; i++) {
		u64 v = 0;

		for (j = 0; j < 8; j++)
			v = (v << 8) | in[(3 - i) * 8 + j];
		out[i] = v;
	}
}

void p256_scalar_to_bytes(u8 out[32], const u64 in[4])
{
	int i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 8; j++)
			out[(3 - i) * 8 + j] = (u8)(in[i] >> (56 - 8 * j));
}

u64 p256_scalar_zero_mask(const u64 k[4])
{
	return mask_zero(k[0] | k[1] | k[2] | k[3]);
}

u64 p256_scalar_valid_mask(const u64 k[4])
{
	u64 d[4];
	u64 below_n = 0 - sub4(d, k, fn.m);

	return below_n & ~p256_scalar_zero_mask(k);
}

void p256_scalar_reduce(u64 r[4], const u64 a[4])
{
	/* 2^256 < 2n, so one subtraction suffices. */
	reduce_once(r, 0, a, fn.m);
}

void p256_scalar_add(u64 r[4], const u64 a[4], const u64 b[4])
{
	mod_add(r, a, b, &fn);
}

void p256_scalar_mul(u64 r[4], const u64 a[4], const u64 b[4])
{
	u64 t[4];

	/* (a * b / R) * R^2 / R = a * b */
	fn_mul(t, a, b);
	fn_mul(r, t, fn.rr);
	secure_wipe(t, sizeof(t));
}

void p256_scalar_inv(u64 r[4], const u64 a[4])
{
	static const u64 one[4] = { 1, 0, 0, 0 };
	u64 t[4];

	fn_mul(t, a, fn.rr);
	fn_inv(t, t);
	fn_mul(r, t, one);
	secure_wipe(t, sizeof(t));
}

void p256_point_set_infinity(struct p256_point *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->y, fp.one, sizeof(r->y));
}

void p256_point_set_generator(struct p256_point *r)
{
	memcpy(r->x, p256_gx, sizeof(r->x));
	memcpy(r->y, p256_gy, sizeof(r->y));
	memcpy(r->z, fp.one, sizeof(r->z));
}

/* RCB algorithm 4 (complete addition, a = -3), step by step. */
void p256_point_add(struct p256_point *r, const struct p256_point *a,
		    const struct p256_point *b)
{
	u64 t0[4], t1[4], t2[4], t3[4], t4[4], x3[4], y3[4], z3[4];

	fe_mul(t0, a->x, b->x);
	fe_mul(t1, a->y, b->y);
	fe_mul(t2, a->z, b->z);
	fe_add(t3, a->x, a->y);
	fe_add(t4, b->x, b->y);
	fe_mul(t3, t3, t4);
	fe_add(t4, t0, t1);
	fe_sub(t3, t3, t4);
	fe_add(t4, a->y, a->z);
	fe_add(x3, b->y, b->z);
	fe_mul(t4, t4, x3);
	fe_add(x3, t1, t2);
	fe_sub(t4, t4, x3);
	fe_add(x3, a->x, a->z);
	fe_add(y3, b->x, b->z);
	fe_mul(x3, x3, y3);
	fe_add(y3, t0, t2);
	fe_sub(y3, x3, y3);
	fe_mul(z3, p256_b, t2);
	fe_sub(x3, y3, z3);
	fe_add(z3, x3, x3);
	fe_add(x3, x3, z3);
	fe_sub(z3, t1, x3);
	fe_add(x3, t1, x3);
	fe_mul(y3, p256_b, y3);
	fe_add(t1, t2, t2);
	fe_add(t2, t1, t2);
	fe_sub(y3, y3, t2);
	fe_sub(y3, y3, t0);
	fe_add(t1, y3, y3);
	fe_add(y3, t1, y3);
	fe_add(t1, t0, t0);
	fe_add(t0, t1, t0);
	fe_sub(t0, t0, t2);
	fe_mul(t1, t4, y3);
	fe_mul(t2, t0, y3);
	fe_mul(y3, x3, z3);
	fe_add(y3, y3, t2);
	fe_mul(x3, t3, x3);
	fe_sub(x3, x3, t1);
	fe_mul(z3, t4, z3);
	fe_mul(t1, t3, t0);
	fe_add(z3, z3, t1);

	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}

/* RCB algorithm 6 (doubling, a = -3). */
void p256_point_double(struct p256_point *r, const struct p256_point *a)
{
	u64 t0[4], t1[4], t2[4], t3[4], x3[4], y3[4], z3[4];

	fe_mul(t0, a->x, a->x);
	fe_mul(t1, a->y, a->y);
	fe_mul(t2, a->z, a->z);
	fe_mul(t3, a->x, a->y);
	fe_add(t3, t3, t3);
	fe_mul(z3, a->x, a->z);
	fe_add(z3, z3, z3);
	fe_mul(y3, p256_b, t2);
	fe_sub(y3, y3, z3);
	fe_add(x3, y3, y3);
	fe_add(y3, x3, y3);
	fe_sub(x3, t1, y3);
	fe_add(y3, t1, y3);
	fe_mul(y3, x3, y3);
	fe_mul(x3, x3, t3);
	fe_add(t3, t2, t2);
	fe_add(t2, t2, t3);
	fe_mul(z3, p256_b, z3);
	fe_sub(z3, z3, t2);
	fe_sub(z3, z3, t0);
	fe_add(t3, z3, z3);
	fe_add(z3, z3, t3);
	fe_add(t3, t0, t0);
	fe_add(t0, t3, t0);
	fe_sub(t0, t0, t2);
	fe_mul(t0, t0, z3);
	fe_add(y3, y3, t0);
	fe_mul(t0, a->y, a->z);
	fe_add(t0, t0, t0);
	fe_mul(z3, t0, z3);
	fe_sub(x3, x3, z3);
	fe_mul(z3, t0, t1);
	fe_add(z3, z3, z3);
	fe_add(z3, z3, z3);

	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}

u64 p256_point_infinity_mask(const struct p256_point *a)
{
	return mask_zero(a->z[0] | a->z[1] | a->z[2] | a->z[3]);
}

/* table[0..15] = 0, a, 2a, ..., 15a. */
static void build_table(struct p256_point table[16], const struct p256_point *a)
{
	int i;

	p256_point_set_infinity(&table[0]);
	table[1] = *a;
	for (i = 2; i < 16; i++) {
		if (i % 2)
			p256_point_add(&table[i], &table[i - 1], a);
		else
			p256_point_double(&table[i], &table[i / 2]);
	}
}

/* r = table[idx], reading every entry so the access pattern hides idx. */
static void table_select(struct p256_point *r, const struct p256_point table[16],
			 u64 idx)
{
	int i, j;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 16; i++) {
		u64 mask = mask_zero((u64)i ^ idx);

		for (j = 0; j < 4; j++) {
			r->x[j] |= table[i].x[j] & mask;
			r->y[j] |= table[i].y[j] & mask;
			r->z[j] |= table[i].z[j] & mask;
		}
	}
}

static inline u64 scalar_digit(const u64 k[4], int i)
{
	return (k[i / 16] >> (4 * (i % 16))) & 15;
}

/*
 * Fixed 4-bit window from the top: 252 doublings and 64 additions for every
 * k, with the table entry chosen by a full masked scan.
 */
void p256_point_mul(struct p256_point *r, const struct p256_point *a,
		    const u64 k[4])
{
	struct p256_point table[16], acc, sel;
	int i, j;

	build_table(table, a);
	table_select(&acc, table, scalar_digit(k, 63));
	for (i = 62; i >= 0; i--) {
		for (j = 0; j < 4; j++)
			p256_point_double(&acc, &acc);
		table_select(&sel, table, scalar_digit(k, i));
		p256_point_add(&acc, &acc, &sel);
	}
	*r = acc;
	secure_wipe(table, sizeof(table));
	secure_wipe(&acc, sizeof(acc));
	secure_wipe(&sel, sizeof(sel));
}

/*
 * Fixed-base comb: base_comb[t][d - 1] is the affine (Montgomery form) point
 * sum of 2^(64 j + 32 t) G over the bits j set in d.  Bits c, c + 64,
 * c + 128, c + 192 of k then form one digit of table 0, and bits c + 32, ...
 * one of table 1, so k G takes 31 doublings and 64 additions instead of 252
 * and 64.  Generated once with this file's own p256_point_mul and
 * p256_point_to_affine; test_ecdsa checks p256_point_mul_base against
 * OpenSSL and against p256_point_mul.
 */
static const u64 base_comb[2][15][2][4] = {
	{
		{ /* 1 */
		  { 0x79e730d418a9143cULL, 0x75ba95fc5fedb601ULL,
		    0x79fb732b77622510ULL, 0x18905f76a53755c6ULL },
		  { 0xddf25357ce95560aULL, 0x8b4ab8e4ba19e45cULL,
		    0xd2e88688dd21f325ULL, 0x8571ff1825885d85ULL }
		},
		{ /* 2 */
		  { 0x4f922fc516a0d2bbULL, 0x0d5cc16c1a623499ULL,
		    0x9241cf3a57c62c8bULL, 0x2f5e6961fd1b667fULL },
		  { 0x5c15c70bf5a01797ULL, 0x3d20b44d60956192ULL,
		    0x04911b37071fdb52ULL, 0xf648f9168d6f0f7bULL }
		},
		{ /* 3 */
		  { 0x9e566847e137bbbcULL, 0xe434469e8a6a0becULL,
		    0xb1c4276179d73463ULL, 0x5abe0285133d0015ULL },
		  { 0x92aa837cc04c7dabULL, 0x573d9f4c43260c07ULL,
		    0x0c93156278e6cc37ULL, 0x94bb725b6b6f7383ULL }
		},
		{ /* 4 */
		  { 0x62a8c244bfe20925ULL, 0x91c19ac38fdce867ULL,
		    0x5a96a5d5dd387063ULL, 0x61d587d421d324f6ULL },
		  { 0xe87673a2a37173eaULL, 0x2384800853778b65ULL,
		    0x10f8441e05bab43eULL, 0xfa11fe124621efbeULL }
		},
		{ /* 5 */
		  { 0x1c891f2b2cb19ffdULL, 0x01ba8d5bb1923c23ULL,
		    0xb6d03d678ac5ca8eULL, 0x586eb04c1f13bedcULL },
		  { 0x0c35c6e527e8ed09ULL, 0x1e81a33c1819ede2ULL,
		    0x278fd6c056c652faULL, 0x19d5ac0870864f11ULL }
		},
		{ /* 6 */
		  { 0x62577734d2b533d5ULL, 0x673b8af6a1bdddc0ULL,
		    0x577e7c9aa79ec293ULL, 0xbb6de651c3b266b1ULL },
		  { 0xe7e9303ab65259b3ULL, 0xd6a0afd3d03a7480ULL,
		    0xc5ac83d19b3cfc27ULL, 0x60b4619a5d18b99bULL }
		},
		{ /* 7 */
		  { 0xbd6a38e11ae5aa1cULL, 0xb8b7652b49e73658ULL,
		    0x0b130014ee5f87edULL, 0x9d0f27b2aeebffcdULL },
		  { 0xca9246317a730a55ULL, 0x9c955b2fddbbc83aULL,
		    0x07c1dfe0ac019a71ULL, 0x244a566d356ec48dULL }
		},
		{ /* 8 */
		  { 0x56f8410ef4f8b16aULL, 0x97241afec47b266aULL,
		    0x0a406b8e6d9c87c1ULL, 0x803f3e02cd42ab1bULL },
		  { 0x7f0309a804dbec69ULL, 0xa83b85f73bbad05fULL,
		    0xc6097273ad8e197fULL, 0xc097440e5067adc1ULL }
		},
		{ /* 9 */
		  { 0x846a56f2c379ab34ULL, 0xa8ee068b841df8d1ULL,
		    0x20314459176c68efULL, 0xf1af32d5915f1f30ULL },
		  { 0x99c375315d75bd50ULL, 0x837cffbaf72f67bcULL,
		    0x0613a41848d7723fULL, 0x23d0f130e2d41c8bULL }
		},
		{ /* 10 */
		  { 0xed93e225d5be5a2bULL, 0x6fe799835934f3c6ULL,
		    0x4314092622626ffcULL, 0x50bbb4d97990216aULL },
		  { 0x378191c6e57ec63eULL, 0x65422c40181dcdb2ULL,
		    0x41a8099b0236e0f6ULL, 0x2b10011801fe49c3ULL }
		},
		{ /* 11 */
		  { 0xfc68b5c59b391593ULL, 0xc385f5a2598270fcULL,
		    0x7144f3aad19adcbbULL, 0xdd55899983fbae0cULL },
		  { 0x93b88b8e74b82ff4ULL, 0xd2e03c4071e734c9ULL,
		    0x9a7a9eaf43c0322aULL, 0xe6e4c551149d6041ULL }
		},
		{ /* 12 */
		  { 0x5fe14bfe80ec21feULL, 0xf6ce116ac255be82ULL,
		    0x98bc5a072f4a5d67ULL, 0xfad27148db7e63afULL },
		  { 0x90c0b6ac29ab05b3ULL, 0x37a9a83c4e251ae6ULL,
		    0x0a7dc875c2aade7dULL, 0x77387de39f0e1a84ULL }
		},
		{ /* 13 */
		  { 0x1e9ecc49a56c0dd7ULL, 0xa5cffcd846086c74ULL,
		    0x8f7a1408f505aeceULL, 0xb37b85c0bef0c47eULL },
		  { 0x3596b6e4cc0e6a8fULL, 0xfd6d4bbf6b388f23ULL,
		    0xaba453fac39cef4eULL, 0x9c135ac8f9f628d5ULL }
		},
		{ /* 14 */
		  { 0x0a1c729495c8f8beULL, 0x2961c4803bf362bfULL,
		    0x9e418403df63d4acULL, 0xc109f9cb91ece900ULL },
		  { 0xc2d095d058945705ULL, 0xb9083d96ddeb85c0ULL,
		    0x84692b8d7a40449bULL, 0x9bc3344f2eee1ee1ULL }
		},
		{ /* 15 */
		  { 0x0d5ae35642913074ULL, 0x55491b2748a542b1ULL,
		    0x469ca665b310732aULL, 0x29591d525f1a4cc1ULL },
		  { 0xe76f5b6bb84f983fULL, 0xbe7eef419f5f84e1ULL,
		    0x1200d49680baa189ULL, 0x6376551f18ef332cULL }
		},
	},
	{
		{ /* 1 */
		  { 0x202886024147519aULL, 0xd0981eac26b372f0ULL,
		    0xa9d4a7caa785ebc8ULL, 0xd953c50ddbdf58e9ULL },
		  { 0x9d6361ccfd590f8fULL, 0x72e9626b44e6c917ULL,
		    0x7fd9611022eb64cfULL, 0x863ebb7e9eb288f3ULL }
		},
		{ /* 2 */
		  { 0x4fe7ee31b0e63d34ULL, 0xf4600572a9e54fabULL,
		    0xc0493334d5e7b5a4ULL, 0x8589fb9206d54831ULL },
		  { 0xaa70f5cc6583553aULL, 0x0879094ae25649e5ULL,
		    0xcc90450710044652ULL, 0xebb0696d02541c4fULL }
		},
		{ /* 3 */
		  { 0xabbaa0c03b89da99ULL, 0xa6f2d79eb8284022ULL,
		    0x27847862b81c05e8ULL, 0x337a4b5905e54d63ULL },
		  { 0x3c67500d21f7794aULL, 0x207005b77d6d7f61ULL,
		    0x0a5a378104cfd6e8ULL, 0x0d65e0d5f4c2fbd6ULL }
		},
		{ /* 4 */
		  { 0xd433e50f6d3549cfULL, 0x6f33696ffacd665eULL,
		    0x695bfdacce11fcb4ULL, 0x810ee252af7c9860ULL },
		  { 0x65450fe17159bb2cULL, 0xf7dfbebe758b357bULL,
		    0x2b057e74d69fea72ULL, 0xd485717a92731745ULL }
		},
		{ /* 5 */
		  { 0xce1f69bbe83f7669ULL, 0x09f8ae8272877d6bULL,
		    0x9548ae543244278dULL, 0x207755dee3c2c19cULL },
		  { 0x87bd61d96fef1945ULL, 0x18813cefb12d28c3ULL,
		    0x9fbcd1d672df64aaULL, 0x48dc5ee57154b00dULL }
		},
		{ /* 6 */
		  { 0xef0f469ef49a3154ULL, 0x3e85a5956e2b2e9aULL,
		    0x45aaec1eaa924a9cULL, 0xaa12dfc8a09e4719ULL },
		  { 0x26f272274df69f1dULL, 0xe0e4c82ca2ff5e73ULL,
		    0xb9d8ce73b7a9dd44ULL, 0x6c036e73e48ca901ULL }
		},
		{ /* 7 */
		  { 0xe1e421e1a47153f0ULL, 0xb86c3b79920418c9ULL,
		    0x93bdce87705d7672ULL, 0xf25ae793cab79a77ULL },
		  { 0x1f3194a36d869d0cULL, 0x9d55c8824986c264ULL,
		    0x49fb5ea3096e945eULL, 0x39b8e65313db0a3eULL }
		},
		{ /* 8 */
		  { 0xe3417bc035d0b34aULL, 0x440b386b8327c0a7ULL,
		    0x8fb7262dac0362d1ULL, 0x2c41114ce0cdf943ULL },
		  { 0x2ba5cef1ad95a0b1ULL, 0xc09b37a867d54362ULL,
		    0x26d6cdd201e486c9ULL, 0x20477abf42ff9297ULL }
		},
		{ /* 9 */
		  { 0x0f121b41bc0a67d2ULL, 0x62d4760a444d248aULL,
		    0x0e044f1d659b4737ULL, 0x08fde365250bb4a8ULL },
		  { 0xaceec3da848bf287ULL, 0xc2a62182d3369d6eULL,
		    0x3582dfdc92449482ULL, 0x2f7e2fd2565d6cd7ULL }
		},
		{ /* 10 */
		  { 0x0a0122b5178a876bULL, 0x51ff96ff085104b4ULL,
		    0x050b31ab14f29f76ULL, 0x84abb28b5f87d4e6ULL },
		  { 0xd5ed439f8270790aULL, 0x2d6cb59d85e3f46bULL,
		    0x75f55c1b6c1e2212ULL, 0xe5436f6717655640ULL }
		},
		{ /* 11 */
		  { 0xc2965ecc9aeb596dULL, 0x01ea03e7023c92b4ULL,
		    0x4704b4b62e013961ULL, 0x0ca8fd3f905ea367ULL },
		  { 0x92523a42551b2b61ULL, 0x1eb7a89c390fcd06ULL,
		    0xe7f1d2be0392a63eULL, 0x96dca2644ddb0c33ULL }
		},
		{ /* 12 */
		  { 0x231c210e15339848ULL, 0xe87a28e870778c8dULL,
		    0x9d1de6616956e170ULL, 0x4ac3c9382bb09c0bULL },
		  { 0x19be05516998987dULL, 0x8b2376c4ae09f4d6ULL,
		    0x1de0b7651a3f933dULL, 0x380d94c7e39705f4ULL }
		},
		{ /* 13 */
		  { 0x3685954b8c31c31dULL, 0x68533d005bf21a0cULL,
		    0x0bd7626e75c79ec9ULL, 0xca17754742c69d54ULL },
		  { 0xcc6edafff6d2dbb2ULL, 0xfd0d8cbd174a9d18ULL,
		    0x875e8793aa4578e8ULL, 0xa976a7139cab2ce6ULL }
		},
		{ /* 14 */
		  { 0xce37ab11b43ea1dbULL, 0x0a7ff1a95259d292ULL,
		    0x851b02218f84f186ULL, 0xa7222beadefaad13ULL },
		  { 0xa2ac78ec2b0a9144ULL, 0x5a024051f2fa59c5ULL,
		    0x91d1eca56147ce38ULL, 0xbe94d523bc2ac690ULL }
		},
		{ /* 15 */
		  { 0x2d8daefd79ec1a0fULL, 0x3bbcd6fdceb39c97ULL,
		    0xf5575ffc58f61a95ULL, 0xdbd986c4adf7b420ULL },
		  { 0x81aa881415f39eb7ULL, 0x6ee2fcf5b98d976cULL,
		    0x5465475dcf2f717dULL, 0x8e24d3c46860bbd0ULL }
		},
	},
};

/* r = entry d of comb table t (d = 0 gives infinity), by a full masked scan. */
static void comb_select(struct p256_point *r, int t, u64 d)
{
	u64 is_zero = mask_zero(d);
	int i, j;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 15; i++) {
		u64 mask = mask_zero((u64)(i + 1) ^ d);

		for (j = 0; j < 4; j++) {
			r->x[j] |= base_comb[t][i][0][j] & mask;
			r->y[j] |= base_comb[t][i][1][j] & mask;
		}
	}
	for (j = 0; j < 4; j++) {
		r->y[j] |= fp.one[j] & is_zero;
		r->z[j] = fp.one[j] & ~is_zero;
	}
}

static inline u64 comb_digit(const u64 k[4], int c)
{
	return ((k[0] >> c) & 1) | (((k[1] >> c) & 1) << 1) |
	       (((k[2] >> c) & 1) << 2) | (((k[3] >> c) & 1) << 3);
}

void p256_point_mul_base(struct p256_point *r, const u64 k[4])
{
	struct p256_point acc, sel;
	int c;

	p256_point_set_infinity(&acc);
	for (c = 31; c >= 0; c--) {
		if (c != 31)
			p256_point_double(&acc, &acc);
		comb_select(&sel, 0, comb_digit(k, c));
		p256_point_add(&acc, &acc, &sel);
		comb_select(&sel, 1, comb_digit(k, c + 32));
		p256_point_add(&acc, &acc, &sel);
	}
	*r = acc;
	secure_wipe(&acc, sizeof(acc));
	secure_wipe(&sel, sizeof(sel));
}

/* Interleaved windows over both scalars; table indices are public digits. */
void p256_point_mul2_vartime(struct p256_point *r, const u64 u1[4],
			     const u64 u2[4], const struct p256_point *q)
{
	struct p256_point tg[16], tq[16], g, acc;
	int i, j, started = 0;

	p256_point_set_generator(&g);
	build_table(tg, &g);
	build_table(tq, q);
	p256_point_set_infinity(&acc);
	for (i = 63; i >= 0; i--) {
		u64 d1 = scalar_digit(u1, i), d2 = scalar_digit(u2, i);

		if (started)
			for (j = 0; j < 4; j++)
				p256_point_double(&acc, &acc);
		if (d1) {
			p256_point_add(&acc, &acc, &tg[d1]);
			started = 1;
		}
		if (d2) {
			p256_point_add(&acc, &acc, &tq[d2]);
			started = 1;
		}
	}
	*r = acc;
}

void p256_point_to_affine(u8 x[32], u8 y[32], const struct p256_point *a)
{
	static const u64 one[4] = { 1, 0, 0, 0 };
	u64 zinv[4], t[4];

	/* 0^(p-2) = 0, so infinity comes out as (0, 0) with no branch. */
	fe_inv(zinv, a->z);
	fe_mul(t, a->x, zinv);
	fe_mul(t, t, one);
	p256_scalar_to_bytes(x, t);
	fe_mul(t, a->y, zinv);
	fe_mul(t, t, one);
	p256_scalar_to_bytes(y, t);
	secure_wipe(zinv, sizeof(zinv));
	secure_wipe(t, sizeof(t));
}

int p256_point_from_affine(struct p256_point *r, const u8 x[32],
			   const u8 y[32])
{
	u64 ax[4], ay[4], lhs[4], rhs[4], t[4];

	p256_scalar_from_bytes(ax, x);
	p256_scalar_from_bytes(ay, y);
	if (!sub4(t, ax, fp.m) || !sub4(t, ay, fp.m))
		return TV_EINVAL;
	fe_mul(ax, ax, fp.rr);
	fe_mul(ay, ay, fp.rr);

	/* y^2 == x^3 - 3x + b */
	fe_mul(lhs, ay, ay);
	fe_mul(rhs, ax, ax);
	fe_mul(rhs, rhs, ax);
	fe_sub(rhs, rhs, ax);
	fe_sub(rhs, rhs, ax);
	fe_sub(rhs, rhs, ax);
	fe_add(rhs, rhs, p256_b);
	if (memcmp(lhs, rhs, sizeof(lhs)))
		return TV_EINVAL;

	memcpy(r->x, ax, sizeof(ax));
	memcpy(r->y, ay, sizeof(ay));
	memcpy(r->z, fp.one, sizeof(r->z));
	return TV_OK;
}

/*
 * The peer's point is checked to be on the curve before it meets the
 * secret scalar: an off-curve point would let whoever chose it learn the
 * scalar modulo small orders (invalid-curve attack).  P-256 has cofactor 1,
 * so an on-curve point times a valid scalar is never the neutral element;
 * the check is kept as the SP 800-56A step, and its verdict (like the
 * scalar's validity) is public.
 */
int p256_ecdh(u8 z[32], const u8 priv[32], const u8 peer_x[32],
	      const u8 peer_y[32])
{
	struct p256_point q, r;
	u8 y[32];
	u64 k[4], ok;

	if (p256_point_from_affine(&q, peer_x, peer_y))
		return TV_EINVAL;
	p256_scalar_from_bytes(k, priv);
	p256_point_mul(&r, &q, k);
	ok = p256_scalar_valid_mask(k) & ~p256_point_infinity_mask(&r);
	ct_declassify(&ok, sizeof(ok));
	if (ok)
		p256_point_to_affine(z, y, &r);
	secure_wipe(k, sizeof(k));
	secure_wipe(&r, sizeof(r));
	secure_wipe(y, sizeof(y));
	return ok ? TV_OK : TV_EINVAL;
}
