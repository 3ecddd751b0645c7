// SM4 (GB/T 32907-2016) in CBC mode with PKCS#7 and SM3 (GB/T 32905-2016) with HMAC, for the
// sm4-cbc cipher (docs/contract.md §1). Go's standard library has neither; the tests check both
// against the standards' vectors and against Node's crypto byte for byte.
package verifymobile

import (
	"crypto/hmac"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math/bits"
)

var sm4Sbox = func() [256]byte {
	var s [256]byte
	b, _ := hex.DecodeString("d690e9fecce13db716b614c228fb2c052b679a762abe04c3aa441326498606999c4250f491ef987a33540b43edcfac62" +
		"e4b31ca9c908e89580df94fa758f3fa64707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35" +
		"1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89eeabf8ad240c738b5a3f7f2cef96115a1" +
		"e0ae5da49b341a55ad933230f58cb1e31df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51" +
		"8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b08969974a0c96777e65b9f109c56ec684" +
		"18f07dec3adc4d2079ee5f3ed7cb3948")
	copy(s[:], b)
	return s
}()

var sm4FK = [4]uint32{0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc}

func sm4Tau(x uint32) uint32 {
	return uint32(sm4Sbox[x>>24])<<24 | uint32(sm4Sbox[x>>16&0xff])<<16 | uint32(sm4Sbox[x>>8&0xff])<<8 | uint32(sm4Sbox[x&0xff])
}

func sm4RoundKeys(key []byte) [32]uint32 {
	var k [36]uint32
	var rk [32]uint32
	for i := 0; i < 4; i++ {
		k[i] = binary.BigEndian.Uint32(key[4*i:]) ^ sm4FK[i]
	}
	for i := 0; i < 32; i++ {
		var ck uint32
		for j := 0; j < 4; j++ {
			ck = ck<<8 | uint32((4*i+j)*7&0xff)
		}
		t := sm4Tau(k[i+1] ^ k[i+2] ^ k[i+3] ^ ck)
		k[i+4] = k[i] ^ t ^ bits.RotateLeft32(t, 13) ^ bits.RotateLeft32(t, 23)
		rk[i] = k[i+4]
	}
	return rk
}

func sm4EncryptBlock(rk *[32]uint32, block []byte) {
	var x [36]uint32
	for i := 0; i < 4; i++ {
		x[i] = binary.BigEndian.Uint32(block[4*i:])
	}
	for i := 0; i < 32; i++ {
		t := sm4Tau(x[i+1] ^ x[i+2] ^ x[i+3] ^ rk[i])
		x[i+4] = x[i] ^ t ^ bits.RotateLeft32(t, 2) ^ bits.RotateLeft32(t, 10) ^ bits.RotateLeft32(t, 18) ^ bits.RotateLeft32(t, 24)
	}
	for i := 0; i < 4; i++ {
		binary.BigEndian.PutUint32(block[4*i:], x[35-i])
	}
}

// SM4Block encrypts one 16-byte block (the standard's first vector checks it).
func SM4Block(key, block []byte) []byte {
	rk := sm4RoundKeys(key)
	out := append([]byte(nil), block...)
	sm4EncryptBlock(&rk, out)
	return out
}

// SM4CBCEncrypt is SM4-CBC with PKCS#7 padding; key and iv are 16 bytes each.
func SM4CBCEncrypt(key, iv, plain []byte) []byte {
	rk := sm4RoundKeys(key)
	pad := 16 - len(plain)%16
	data := append(append([]byte(nil), plain...), make([]byte, pad)...)
	for i := len(plain); i < len(data); i++ {
		data[i] = byte(pad)
	}
	previous := iv
	for offset := 0; offset < len(data); offset += 16 {
		block := data[offset : offset+16]
		for i := range block {
			block[i] ^= previous[i]
		}
		sm4EncryptBlock(&rk, block)
		previous = block
	}
	return data
}

// sm3Digest is a hash.Hash for SM3, so crypto/hmac can key it.
type sm3Digest struct{ data []byte }

// NewSM3 returns an SM3 hash.Hash (it buffers the message: the client hashes short texts).
func NewSM3() hash.Hash { return &sm3Digest{} }

func (d *sm3Digest) Write(p []byte) (int, error) { d.data = append(d.data, p...); return len(p), nil }
func (d *sm3Digest) Reset()                      { d.data = nil }
func (d *sm3Digest) Size() int                   { return 32 }
func (d *sm3Digest) BlockSize() int              { return 64 }
func (d *sm3Digest) Sum(b []byte) []byte         { return append(b, SM3(d.data)...) }

// SM3 returns the 32-byte SM3 digest of message.
func SM3(message []byte) []byte {
	total := (len(message) + 9 + 63) / 64 * 64
	padded := make([]byte, total)
	copy(padded, message)
	padded[len(message)] = 0x80
	binary.BigEndian.PutUint64(padded[total-8:], uint64(len(message))*8)
	v := [8]uint32{0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e}
	var w [68]uint32
	for offset := 0; offset < total; offset += 64 {
		for j := 0; j < 16; j++ {
			w[j] = binary.BigEndian.Uint32(padded[offset+4*j:])
		}
		for j := 16; j < 68; j++ {
			x := w[j-16] ^ w[j-9] ^ bits.RotateLeft32(w[j-3], 15)
			w[j] = x ^ bits.RotateLeft32(x, 15) ^ bits.RotateLeft32(x, 23) ^ bits.RotateLeft32(w[j-13], 7) ^ w[j-6]
		}
		a, b, c, d, e, f, g, h := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
		for j := 0; j < 64; j++ {
			t := uint32(0x79cc4519)
			ff, gg := a^b^c, e^f^g
			if j >= 16 {
				t = 0x7a879d8a
				ff, gg = (a&b)|(a&c)|(b&c), (e&f)|(^e&g)
			}
			ss1 := bits.RotateLeft32(bits.RotateLeft32(a, 12)+e+bits.RotateLeft32(t, j%32), 7)
			ss2 := ss1 ^ bits.RotateLeft32(a, 12)
			tt1 := ff + d + ss2 + (w[j] ^ w[j+4])
			tt2 := gg + h + ss1 + w[j]
			d, c, b, a = c, bits.RotateLeft32(b, 9), a, tt1
			h, g, f, e = g, bits.RotateLeft32(f, 19), e, tt2^bits.RotateLeft32(tt2, 9)^bits.RotateLeft32(tt2, 17)
		}
		v[0], v[1], v[2], v[3] = v[0]^a, v[1]^b, v[2]^c, v[3]^d
		v[4], v[5], v[6], v[7] = v[4]^e, v[5]^f, v[6]^g, v[7]^h
	}
	out := make([]byte, 32)
	for i, x := range v {
		binary.BigEndian.PutUint32(out[4*i:], x)
	}
	return out
}

// HMACSM3 is HMAC (RFC 2104) over SM3.
func HMACSM3(key, message []byte) []byte {
	mac := hmac.New(NewSM3, key)
	mac.Write(message)
	return mac.Sum(nil)
}
