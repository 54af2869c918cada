// SPDX-License-Identifier: GPL-2.0
/*
 * Bitsliced AES encryption: AES-256, and AES-128 for the TPM 2.0 sessions
 * of lib/tpm2.c (the TPM's parameter encryption is AES-128-CFB).
 *
 * Four blocks are processed at once in eight 64-bit words: word q[b] holds
 * bit b of all 64 state bytes, the byte of row r, column c of block blk at
 * bit 16 r + 4 c + blk.  ShiftRows then rotates each 16-bit row by a
 * multiple of 4 bits, and MixColumns' "row r + 1" is a 16-bit rotate of the
 * whole word.
 *
 * The S-box is computed, not looked up: inversion in GF(2^8) through the
 * tower field GF((2^4)^2) (see sub_bytes), then the affine map.  Every step
 * is AND/XOR/NOT/shift on whole words, so neither timing nor memory access
 * depends on key or data.
 */
#include "lib/aes.h"
#include "lib/ct.h"

/* out = a * b in GF(16) = GF(2)[y]/(y^4 + y + 1), on bit slices. */
static inline void g16_mul(u64 out[4], const u64 a[4], const u64 b[4])
{
	u64 c0 = a[0] & b[0];
	u64 c1 = (a[0] & b[1]) ^ (a[1] & b[0]);
	u64 c2 = (a[0] & b[2]) ^ (a[1] & b[1]) ^ (a[2] & b[0]);
	u64 c3 = (a[0] & b[3]) ^ (a[1] & b[2]) ^ (a[2] & b[1]) ^ (a[3] & b[0]);
	u64 c4 = (a[1] & b[3]) ^ (a[2] & b[2]) ^ (a[3] & b[1]);
	u64 c5 = (a[2] & b[3]) ^ (a[3] & b[2]);
	u64 c6 = a[3] & b[3];

	/* y^4 = y + 1, y^5 = y^2 + y, y^6 = y^3 + y^2 */
	out[0] = c0 ^ c4;
	out[1] = c1 ^ c4 ^ c5;
	out[2] = c2 ^ c5 ^ c6;
	out[3] = c3 ^ c6;
}

/* Squaring in GF(16) is linear. */
static inline void g16_sq(u64 out[4], const u64 a[4])
{
	u64 t0 = a[0] ^ a[2], t2 = a[1] ^ a[3];

	out[1] = a[2];
	out[3] = a[3];
	out[0] = t0;
	out[2] = t2;
}

/*
 * S-box on 64 bytes at once.  Inversion runs in the tower GF((2^4)^2) with
 * GF(16) = GF(2)[y]/(y^4 + y + 1) and GF(256) = GF(16)[z]/(z^2 + z + 8),
 * where for a = h z + l:  a^-1 = (h z + (h + l)) / N,  N = 8 h^2 + h l + l^2
 * (N is a times its conjugate, so lies in GF(16)), and 1/N = N^14.  The
 * basis changes are linear maps, here as XOR lists, derived and checked
 * against the FIPS-197 S-box for all 256 inputs by
 * selftests/lib/gen_aes_sbox.py (the isomorphism sends x to 0x20 in the
 * tower; 0 maps to 0, matching AES's convention 0^-1 = 0).
 */
static void sub_bytes(u64 q[8])
{
	u64 h[4], l[4], hl[4], n[4], n2[4], n4[4], n8[4], t[4], ni[4], oh[4], ol[4];
	u64 x0 = q[0], x1 = q[1], x2 = q[2], x3 = q[3];
	u64 x4 = q[4], x5 = q[5], x6 = q[6], x7 = q[7];
	int i;

	/* AES polynomial basis -> tower basis. */
	l[0] = x0 ^ x5 ^ x7;
	l[1] = x2;
	l[2] = x2 ^ x3 ^ x4 ^ x5 ^ x6 ^ x7;
	l[3] = x3 ^ x4;
	h[0] = x4 ^ x5 ^ x6;
	h[1] = x1 ^ x4 ^ x6 ^ x7;
	h[2] = x2 ^ x3 ^ x5 ^ x7;
	h[3] = x5 ^ x7;

	/* N = 8 h^2 + h l + l^2 */
	g16_mul(n, h, l);
	g16_sq(t, l);
	n[0] ^= t[0] ^ h[2];
	n[1] ^= t[1] ^ h[1] ^ h[2] ^ h[3];
	n[2] ^= t[2] ^ h[1];
	n[3] ^= t[3] ^ h[0] ^ h[2] ^ h[3];

	/* 1/N = N^14 = N^2 N^4 N^8 (0 stays 0). */
	g16_sq(n2, n);
	g16_sq(n4, n2);
	g16_sq(n8, n4);
	g16_mul(t, n2, n4);
	g16_mul(ni, t, n8);

	for (i = 0; i < 4; i++)
		hl[i] = h[i] ^ l[i];
	g16_mul(oh, h, ni);
	g16_mul(ol, hl, ni);

	/* Tower basis -> AES basis, then the affine map (constant 0x63 last). */
	q[0] = ~(ol[0] ^ ol[2] ^ oh[2]);
	q[1] = ~(ol[0] ^ ol[1] ^ ol[2] ^ ol[3] ^ oh[0] ^ oh[1]);
	q[2] = ol[0] ^ ol[3] ^ oh[1] ^ oh[2];
	q[3] = ol[0] ^ ol[2] ^ oh[1];
	q[4] = ol[0] ^ ol[1] ^ ol[3] ^ oh[0] ^ oh[1];
	q[5] = ~(ol[1] ^ ol[2] ^ ol[3] ^ oh[1] ^ oh[2] ^ oh[3]);
	q[6] = ~(oh[0] ^ oh[2] ^ oh[3]);
	q[7] = ol[1] ^ ol[2];
}

#define ROW(r) (0xffffULL << (16 * (r)))

static inline u64 ror64(u64 x, unsigned int n)
{
	return (x >> n) | (x << (64 - n));
}

/*
 * Row r (16 bits: four columns of four blocks) rotates left by r columns, in
 * two steps: rows 1 and 3 by one column, then rows 2 and 3 by two.
 */
static inline u64 shift_rows1(u64 x)
{
	const u64 m13 = ROW(1) | ROW(3), m23 = ROW(2) | ROW(3);
	u64 y = x & m13;

	x = (x & ~m13) | ((y >> 4) & (m13 & 0x0fff0fff0fff0fffULL)) |
	    ((y << 12) & (m13 & 0xf000f000f000f000ULL));
	y = x & m23;
	return (x & ~m23) | ((y >> 8) & (m23 & 0x00ff00ff00ff00ffULL)) |
	       ((y << 8) & (m23 & 0xff00ff00ff00ff00ULL));
}

/*
 * out = 2a + 3a' + a'' + a''' (primes: rows rotated by 1, 2, 3)
 *     = 2(a + a') + a + (a + a' + a'' + a'''), and the last sum is t + rot2(t)
 *     for t = a + a'.
 */
static void mix_columns(u64 q[8])
{
	u64 t[8], all[8];
	int i;

	for (i = 0; i < 8; i++) {
		/* Row r taking row r + 1 is a rotate of the whole word. */
		t[i] = q[i] ^ ror64(q[i], 16);
		all[i] = t[i] ^ ror64(t[i], 32);
	}
	/* xtime on slices: shift up a bit, fold bit 7 back as 0x1b. */
	q[0] ^= all[0] ^ t[7];
	q[1] ^= all[1] ^ t[0] ^ t[7];
	q[2] ^= all[2] ^ t[1];
	q[3] ^= all[3] ^ t[2] ^ t[7];
	q[4] ^= all[4] ^ t[3] ^ t[7];
	q[5] ^= all[5] ^ t[4];
	q[6] ^= all[6] ^ t[5];
	q[7] ^= all[7] ^ t[6];
}

static inline u64 load_le64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline void store_le64(u8 *p, u64 v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* Swaps the bits of x selected by mask with those shift places above them. */
static inline u64 swapmove(u64 x, u64 mask, int shift)
{
	u64 t = (x ^ (x >> shift)) & mask;

	return x ^ t ^ (t << shift);
}

/* 8x8 bit matrix transpose: bit b of byte j <-> bit j of byte b. */
static inline u64 transpose8(u64 x)
{
	x = swapmove(x, 0x00aa00aa00aa00aaULL, 7);
	x = swapmove(x, 0x0000cccc0000ccccULL, 14);
	return swapmove(x, 0x00000000f0f0f0f0ULL, 28);
}

/*
 * Byte p = 16 blk + 4 c + r of the input (block, column, row) goes to bit
 * 16 r + 4 c + blk of the slices: swapping the index fields blk and r is
 * two index-bit swaps (5 <-> 1, 4 <-> 0), and is its own inverse.
 */
static inline u64 permute_lanes(u64 x)
{
	x = swapmove(x, 0x00000000ccccccccULL, 30);
	return swapmove(x, 0x0000aaaa0000aaaaULL, 15);
}

/* 64 bytes (four blocks, FIPS-197 byte order) to bit slices and back. */
static void pack(u64 q[8], const u8 in[64])
{
	u64 t[8];
	int b, k;

	for (k = 0; k < 8; k++)
		t[k] = transpose8(load_le64(in + 8 * k));
	for (b = 0; b < 8; b++) {
		u64 x = 0;

#pragma GCC unroll 8
		for (k = 0; k < 8; k++)
			x |= (t[k] >> (8 * b) & 0xff) << (8 * k);
		q[b] = permute_lanes(x);
	}
	secure_wipe(t, sizeof(t));
}

static void unpack(u8 out[64], const u64 q[8])
{
	u64 t[8];
	int b, k;

	for (k = 0; k < 8; k++)
		t[k] = 0;
	for (b = 0; b < 8; b++) {
		u64 x = permute_lanes(q[b]);

#pragma GCC unroll 8
		for (k = 0; k < 8; k++)
			t[k] |= (x >> (8 * k) & 0xff) << (8 * b);
	}
	for (k = 0; k < 8; k++)
		store_le64(out + 8 * k, transpose8(t[k]));
	secure_wipe(t, sizeof(t));
}

/*
 * One 16-byte round key into slices, replicated over the four block lanes
 * (blk is the lowest index field, so replicating is a 4-bit smear).
 */
static void pack_round_key(u64 q[8], const u8 rk[16])
{
	u64 t0 = transpose8(load_le64(rk)), t1 = transpose8(load_le64(rk + 8));
	int b;

	for (b = 0; b < 8; b++) {
		u64 x = (t0 >> (8 * b) & 0xff) | (t1 >> (8 * b) & 0xff) << 8;

		x = permute_lanes(x);
		q[b] = x | x << 1 | x << 2 | x << 3;
	}
}

/* Both key sizes share the round function; only the number of rounds differs. */
static void encrypt4(const u64 (*rk)[8], int rounds, u8 buf[64])
{
	u64 q[8];
	int i, r;

	pack(q, buf);
	for (i = 0; i < 8; i++)
		q[i] ^= rk[0][i];
	for (r = 1; r <= rounds; r++) {
		sub_bytes(q);
		for (i = 0; i < 8; i++)
			q[i] = shift_rows1(q[i]);
		if (r != rounds)
			mix_columns(q);
		for (i = 0; i < 8; i++)
			q[i] ^= rk[r][i];
	}
	unpack(buf, q);
	secure_wipe(q, sizeof(q));
}

/* SubWord on four key bytes, through the same bitsliced S-box. */
static u32 sub_word(u32 w)
{
	u64 q[8], t = transpose8(w);
	u32 r;
	int b;

	for (b = 0; b < 8; b++)
		q[b] = t >> (8 * b) & 0xff;
	sub_bytes(q);
	for (t = 0, b = 0; b < 8; b++)
		t |= (q[b] & 0xf) << (8 * b);
	r = (u32)transpose8(t);
	secure_wipe(q, sizeof(q));
	return r;
}

/* FIPS-197 5.2 for nk = 8 (AES-256) or nk = 4 (AES-128) key words. */
static void expand_key(u64 (*rk)[8], const u8 *key, int nk, int rounds)
{
	/* Words little-endian: byte 0 of a word is its first key byte. */
	u32 w[4 * (AES256_ROUNDS + 1)];
	u8 rbytes[16];
	u8 rcon = 1;
	int i, r;

	for (i = 0; i < nk; i++)
		w[i] = (u32)key[4 * i] | (u32)key[4 * i + 1] << 8 |
		       (u32)key[4 * i + 2] << 16 | (u32)key[4 * i + 3] << 24;
	for (i = nk; i < 4 * (rounds + 1); i++) {
		u32 t = w[i - 1];

		if (i % nk == 0) {
			t = sub_word(t >> 8 | t << 24) ^ rcon;
			/* xtime: AES-128 needs rcon past 0x80 (0x1b, 0x36). */
			rcon = (u8)(rcon << 1) ^ (rcon & 0x80 ? 0x1b : 0);
		} else if (nk > 6 && i % nk == 4) {
			t = sub_word(t);
		}
		w[i] = w[i - nk] ^ t;
	}
	for (r = 0; r <= rounds; r++) {
		for (i = 0; i < 16; i++)
			rbytes[i] = w[4 * r + i / 4] >> (8 * (i % 4));
		pack_round_key(rk[r], rbytes);
	}
	secure_wipe(w, sizeof(w));
	secure_wipe(rbytes, sizeof(rbytes));
}

void aes256_init(struct aes256_ctx *ctx, const u8 key[AES256_KEY_SIZE])
{
	expand_key(ctx->rk, key, 8, AES256_ROUNDS);
}

static void encrypt_blocks(const u64 (*rk)[8], int rounds, const u8 *in,
			   u8 *out, size_t nblocks)
{
	u8 buf[64];

	while (nblocks) {
		size_t n = nblocks < 4 ? nblocks : 4;

		memcpy(buf, in, n * AES_BLOCK_SIZE);
		encrypt4(rk, rounds, buf);
		memcpy(out, buf, n * AES_BLOCK_SIZE);
		in += n * AES_BLOCK_SIZE;
		out += n * AES_BLOCK_SIZE;
		nblocks -= n;
	}
	secure_wipe(buf, sizeof(buf));
}

void aes256_encrypt_blocks(const struct aes256_ctx *ctx, const u8 *in, u8 *out,
			   size_t nblocks)
{
	encrypt_blocks(ctx->rk, AES256_ROUNDS, in, out, nblocks);
}

static void ctr_inc(u8 ctr[AES_BLOCK_SIZE])
{
	int i;

	/* The counter is public: the early exit leaks nothing. */
	for (i = AES_BLOCK_SIZE - 1; i >= 0; i--)
		if (++ctr[i])
			break;
}

void aes256_ctr(const struct aes256_ctx *ctx, u8 ctr[AES_BLOCK_SIZE],
		const void *in, void *out, size_t len)
{
	const u8 *src = in;
	u8 *dst = out;
	u8 ks[64];
	size_t i;

	while (len) {
		size_t n = len < sizeof(ks) ? len : sizeof(ks);

		/* Only blocks actually used advance the caller's counter. */
		for (i = 0; i < sizeof(ks); i += AES_BLOCK_SIZE) {
			memcpy(ks + i, ctr, AES_BLOCK_SIZE);
			if (i < n)
				ctr_inc(ctr);
		}
		encrypt4(ctx->rk, AES256_ROUNDS, ks);
		for (i = 0; i < n; i++)
			dst[i] = src[i] ^ ks[i];
		src += n;
		dst += n;
		len -= n;
	}
	secure_wipe(ks, sizeof(ks));
}

void aes256_wipe(struct aes256_ctx *ctx)
{
	secure_wipe(ctx, sizeof(*ctx));
}

void aes128_init(struct aes128_ctx *ctx, const u8 key[AES128_KEY_SIZE])
{
	expand_key(ctx->rk, key, 4, AES128_ROUNDS);
}

void aes128_encrypt_blocks(const struct aes128_ctx *ctx, const u8 *in, u8 *out,
			   size_t nblocks)
{
	encrypt_blocks(ctx->rk, AES128_ROUNDS, in, out, nblocks);
}

/*
 * CFB128: each keystream block is the cipher of the previous ciphertext
 * block, so encryption is serial (one block per call of the four-block
 * round function; the TPM's parameters are a few dozen bytes).  The two
 * directions differ only in which side is the ciphertext fed back.
 */
static void cfb128(const struct aes128_ctx *ctx, const u8 iv[AES_BLOCK_SIZE],
		   const u8 *in, u8 *out, size_t len, bool decrypt)
{
	u8 fb[AES_BLOCK_SIZE], ks[64];
	size_t i, n;

	memcpy(fb, iv, AES_BLOCK_SIZE);
	while (len) {
		n = len < AES_BLOCK_SIZE ? len : AES_BLOCK_SIZE;
		memcpy(ks, fb, AES_BLOCK_SIZE);
		encrypt4(ctx->rk, AES128_ROUNDS, ks);
		for (i = 0; i < n; i++) {
			u8 c = decrypt ? in[i] : in[i] ^ ks[i];

			out[i] = in[i] ^ ks[i];
			fb[i] = c;
		}
		in += n;
		out += n;
		len -= n;
	}
	secure_wipe(ks, sizeof(ks));
	secure_wipe(fb, sizeof(fb));
}

void aes128_cfb_encrypt(const struct aes128_ctx *ctx, const u8 iv[AES_BLOCK_SIZE],
			const void *in, void *out, size_t len)
{
	cfb128(ctx, iv, in, out, len, false);
}

void aes128_cfb_decrypt(const struct aes128_ctx *ctx, const u8 iv[AES_BLOCK_SIZE],
			const void *in, void *out, size_t len)
{
	cfb128(ctx, iv, in, out, len, true);
}

void aes128_wipe(struct aes128_ctx *ctx)
{
	secure_wipe(ctx, sizeof(*ctx));
}
