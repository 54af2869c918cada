#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Derives the linear layers of lib/aes.c's tower-field S-box.

AES computes in GF(2^8) = GF(2)[x]/(x^8+x^4+x^3+x+1).  Inversion is cheaper in
the isomorphic tower GF((2^4)^2): GF(16) = GF(2)[y]/(y^4+y+1), and
GF(256) = GF(16)[z]/(z^2+z+L) for a constant L making it irreducible.  This
script finds L, a root beta of the AES polynomial in the tower (which fixes
the isomorphism x -> beta), and prints, as XOR lists over bit slices:
  * TO_TOWER: AES polynomial basis -> tower basis (bits 0-3 low, 4-7 high),
  * the GF(16) linear maps used by the inversion (squares, L*h^2),
  * FROM_TOWER_AFFINE: tower basis -> AES basis followed by the S-box affine
    map (the constant 0x63 is applied separately),
then checks the whole pipeline against the FIPS-197 S-box definition for all
256 inputs.  Run it to regenerate or audit the expressions in lib/aes.c.
"""

AES_POLY = 0x11B


def aes_mul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        b >>= 1
        a <<= 1
        if a & 0x100:
            a ^= AES_POLY
    return r


def aes_inv(a):
    r = 1
    for _ in range(254):
        r = aes_mul(r, a)
    return r if a else 0


def affine(b):
    s = 0
    for i in range(8):
        bit = 0
        for k in (0, 4, 5, 6, 7):
            bit ^= (b >> ((i + k) % 8)) & 1
        s |= bit << i
    return s


def sbox(a):
    return affine(aes_inv(a)) ^ 0x63


def g16_mul(a, b):
    r = 0
    for i in range(4):
        if (b >> i) & 1:
            r ^= a << i
    for k in (6, 5, 4):
        if r & (1 << k):
            r ^= 0b10011 << (k - 4)
    return r


def tower_mul(a, b, lam):
    ah, al, bh, bl = a >> 4, a & 15, b >> 4, b & 15
    hh = g16_mul(ah, bh)
    h = hh ^ g16_mul(ah, bl) ^ g16_mul(al, bh)
    l = g16_mul(hh, lam) ^ g16_mul(al, bl)
    return h << 4 | l


def tower_pow(a, e, lam):
    r = 1
    for _ in range(e):
        r = tower_mul(r, a, lam)
    return r


def find_tower():
    for lam in range(1, 16):
        if all(g16_mul(t, t) ^ t != lam for t in range(16)):
            for beta in range(2, 256):
                # p(beta) = beta^8 + beta^4 + beta^3 + beta + 1 == 0
                v = tower_pow(beta, 8, lam) ^ tower_pow(beta, 4, lam) ^ \
                    tower_pow(beta, 3, lam) ^ beta ^ 1
                if v == 0:
                    return lam, beta
    raise SystemExit("no tower found")


def matrix_of(f, nin):
    """Columns: image of each basis vector under the GF(2)-linear map f."""
    return [f(1 << i) for i in range(nin)]


def rows(cols, nout):
    return [[i for i, c in enumerate(cols) if (c >> o) & 1] for o in range(nout)]


def invert8(cols):
    # Gaussian elimination over GF(2) on the 8x8 matrix given by columns.
    m = [[(cols[c] >> r) & 1 for c in range(8)] + [int(r == c) for c in range(8)]
         for r in range(8)]
    for c in range(8):
        p = next(r for r in range(c, 8) if m[r][c])
        m[c], m[p] = m[p], m[c]
        for r in range(8):
            if r != c and m[r][c]:
                m[r] = [x ^ y for x, y in zip(m[r], m[c])]
    inv_cols = []
    for c in range(8):
        inv_cols.append(sum(m[r][8 + c] << r for r in range(8)))
    return inv_cols


def apply(cols, v):
    r = 0
    for i, c in enumerate(cols):
        if (v >> i) & 1:
            r ^= c
    return r


def main():
    lam, beta = find_tower()
    to_tower = [tower_pow(beta, i, lam) for i in range(8)]
    from_tower = invert8(to_tower)
    from_aff = [affine(c) for c in from_tower]
    sq = lambda v: g16_mul(v, v)
    maps = {
        "TO_TOWER": (to_tower, 8),
        "SQ16": (matrix_of(sq, 4), 4),
        "LAM_SQ16": (matrix_of(lambda v: g16_mul(lam, sq(v)), 4), 4),
        "FROM_TOWER_AFFINE": (from_aff, 8),
    }
    print(f"# lambda = {lam:#x}, beta = {beta:#04x}")
    for name, (cols, n) in maps.items():
        print(name)
        for o, r in enumerate(rows(cols, n)):
            print(f"  out[{o}] = " + " ^ ".join(f"in[{i}]" for i in r))

    # The pipeline exactly as lib/aes.c computes it.
    for a in range(256):
        t = apply(to_tower, a)
        h, l = t >> 4, t & 15
        n = apply(maps["LAM_SQ16"][0], h) ^ g16_mul(h, l) ^ apply(maps["SQ16"][0], l)
        n2 = apply(maps["SQ16"][0], n)
        n4 = apply(maps["SQ16"][0], n2)
        n8 = apply(maps["SQ16"][0], n4)
        ni = g16_mul(g16_mul(n2, n4), n8)
        oh, ol = g16_mul(h, ni), g16_mul(h ^ l, ni)
        s = apply(from_aff, oh << 4 | ol) ^ 0x63
        assert s == sbox(a), (a, s, sbox(a))
    print("# pipeline matches the FIPS-197 S-box for all 256 inputs")


main()
