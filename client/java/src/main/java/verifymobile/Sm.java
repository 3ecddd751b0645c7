// SM4 (GB/T 32907-2016) in CBC mode with PKCS#7 and SM3 (GB/T 32905-2016) with HMAC, for the
// sm4-cbc cipher (docs/contract.md §1). The JDK has neither; the tests check both against the
// standards' vectors and against Node's crypto byte for byte.
package verifymobile;

import java.nio.ByteBuffer;
import java.util.Arrays;

final class Sm {
    private Sm() {}

    private static final int[] SBOX = new int[256];
    private static final int[] FK = {0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc};
    private static final int[] CK = new int[32];

    static {
        String hex = "d690e9fecce13db716b614c228fb2c052b679a762abe04c3aa441326498606999c4250f491ef987a33540b43edcfac62"
                + "e4b31ca9c908e89580df94fa758f3fa64707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35"
                + "1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89eeabf8ad240c738b5a3f7f2cef96115a1"
                + "e0ae5da49b341a55ad933230f58cb1e31df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51"
                + "8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b08969974a0c96777e65b9f109c56ec684"
                + "18f07dec3adc4d2079ee5f3ed7cb3948";
        for (int i = 0; i < 256; i++) SBOX[i] = Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        for (int i = 0; i < 32; i++) {
            int word = 0;
            for (int j = 0; j < 4; j++) word = (word << 8) | (((4 * i + j) * 7) & 0xff);
            CK[i] = word;
        }
    }

    private static int tau(int x) {
        return (SBOX[x >>> 24] << 24) | (SBOX[(x >>> 16) & 0xff] << 16) | (SBOX[(x >>> 8) & 0xff] << 8) | SBOX[x & 0xff];
    }

    private static int[] roundKeys(byte[] key) {
        ByteBuffer in = ByteBuffer.wrap(key);
        int[] k = new int[36];
        for (int i = 0; i < 4; i++) k[i] = in.getInt() ^ FK[i];
        int[] rk = new int[32];
        for (int i = 0; i < 32; i++) {
            int t = tau(k[i + 1] ^ k[i + 2] ^ k[i + 3] ^ CK[i]);
            k[i + 4] = k[i] ^ t ^ Integer.rotateLeft(t, 13) ^ Integer.rotateLeft(t, 23);
            rk[i] = k[i + 4];
        }
        return rk;
    }

    private static void encryptBlock(int[] rk, byte[] data, int offset) {
        ByteBuffer block = ByteBuffer.wrap(data, offset, 16);
        int[] x = new int[36];
        for (int i = 0; i < 4; i++) x[i] = block.getInt();
        for (int i = 0; i < 32; i++) {
            int t = tau(x[i + 1] ^ x[i + 2] ^ x[i + 3] ^ rk[i]);
            x[i + 4] = x[i] ^ t ^ Integer.rotateLeft(t, 2) ^ Integer.rotateLeft(t, 10) ^ Integer.rotateLeft(t, 18) ^ Integer.rotateLeft(t, 24);
        }
        ByteBuffer out = ByteBuffer.wrap(data, offset, 16);
        for (int i = 0; i < 4; i++) out.putInt(x[35 - i]);
    }

    /** SM4 of one block (the standard's first vector checks it). */
    static byte[] sm4Block(byte[] key, byte[] block) {
        byte[] out = block.clone();
        encryptBlock(roundKeys(key), out, 0);
        return out;
    }

    /** SM4-CBC with PKCS#7 padding: key and iv 16 bytes each. */
    static byte[] sm4CbcEncrypt(byte[] key, byte[] iv, byte[] plain) {
        int[] rk = roundKeys(key);
        int pad = 16 - plain.length % 16;
        byte[] data = Arrays.copyOf(plain, plain.length + pad);
        Arrays.fill(data, plain.length, data.length, (byte) pad);
        for (int offset = 0; offset < data.length; offset += 16) {
            for (int i = 0; i < 16; i++) data[offset + i] ^= offset == 0 ? iv[i] : data[offset - 16 + i];
            encryptBlock(rk, data, offset);
        }
        return data;
    }

    private static final int[] SM3_IV = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

    /** SM3 digest (32 bytes). */
    static byte[] sm3(byte[] message) {
        int total = (message.length + 9 + 63) / 64 * 64;
        ByteBuffer padded = ByteBuffer.allocate(total).put(message).put((byte) 0x80);
        padded.putLong(total - 8, (long) message.length * 8);
        int[] v = SM3_IV.clone();
        int[] w = new int[68];
        for (int offset = 0; offset < total; offset += 64) {
            for (int j = 0; j < 16; j++) w[j] = padded.getInt(offset + 4 * j);
            for (int j = 16; j < 68; j++) {
                int x = w[j - 16] ^ w[j - 9] ^ Integer.rotateLeft(w[j - 3], 15);
                w[j] = x ^ Integer.rotateLeft(x, 15) ^ Integer.rotateLeft(x, 23) ^ Integer.rotateLeft(w[j - 13], 7) ^ w[j - 6];
            }
            int a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
            for (int j = 0; j < 64; j++) {
                int ss1 = Integer.rotateLeft(Integer.rotateLeft(a, 12) + e + Integer.rotateLeft(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32), 7);
                int ss2 = ss1 ^ Integer.rotateLeft(a, 12);
                int ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
                int gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
                int tt1 = ff + d + ss2 + (w[j] ^ w[j + 4]);
                int tt2 = gg + h + ss1 + w[j];
                d = c;
                c = Integer.rotateLeft(b, 9);
                b = a;
                a = tt1;
                h = g;
                g = Integer.rotateLeft(f, 19);
                f = e;
                e = tt2 ^ Integer.rotateLeft(tt2, 9) ^ Integer.rotateLeft(tt2, 17);
            }
            v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
        }
        ByteBuffer out = ByteBuffer.allocate(32);
        for (int x : v) out.putInt(x);
        return out.array();
    }

    /** HMAC (RFC 2104) over SM3, block size 64. */
    static byte[] hmacSm3(byte[] key, byte[] message) {
        byte[] block = Arrays.copyOf(key.length > 64 ? sm3(key) : key, 64);
        byte[] inner = new byte[64 + message.length];
        byte[] outer = new byte[64 + 32];
        for (int i = 0; i < 64; i++) {
            inner[i] = (byte) (block[i] ^ 0x36);
            outer[i] = (byte) (block[i] ^ 0x5c);
        }
        System.arraycopy(message, 0, inner, 64, message.length);
        System.arraycopy(sm3(inner), 0, outer, 64, 32);
        return sm3(outer);
    }
}
