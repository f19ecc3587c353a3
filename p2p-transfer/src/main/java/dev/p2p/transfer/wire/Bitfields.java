package dev.p2p.transfer.wire;

import java.util.BitSet;

/** Wire form of chunk sets: chunk i is bit (7 - i % 8) of byte i / 8; spare bits are zero. */
public final class Bitfields {
    private Bitfields() {}

    public static byte[] toWire(BitSet set, int count) {
        byte[] bits = new byte[(count + 7) / 8];
        for (int i = set.nextSetBit(0); i >= 0 && i < count; i = set.nextSetBit(i + 1)) {
            bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return bits;
    }

    /** Decodes {@code count} bits; refuses a wrong length or set spare bits. */
    public static BitSet fromWire(byte[] bits, int count) {
        if (bits.length != (count + 7) / 8) {
            throw new ProtocolException("bitfield has " + bits.length + " bytes for " + count + " chunks");
        }
        BitSet set = new BitSet(count);
        for (int i = 0; i < bits.length * 8; i++) {
            if ((bits[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                if (i >= count) {
                    throw new ProtocolException("bitfield has spare bits set");
                }
                set.set(i);
            }
        }
        return set;
    }
}
