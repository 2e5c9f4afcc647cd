package dev.nhi.access.core;

import dev.nhi.identity.core.InvalidInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation; a bare address is a network of one. Never resolves names. */
public record Cidr(byte[] network, int prefix, String text) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public static Cidr parse(String key, String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        InetAddress parsed = literal(key, address, value);
        int bits = parsed.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new InvalidInputException(key, key + ": '" + value + "' has an invalid prefix length (0-" + bits + ")");
            }
        }
        return new Cidr(mask(parsed.getAddress(), prefix), prefix, value);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefix), network);
    }

    /** The address of a literal IP, or null for anything else (never a DNS lookup). */
    public static InetAddress addressOrNull(String literal) {
        try {
            return literal == null ? null : literal("address", literal, literal);
        } catch (InvalidInputException e) {
            return null;
        }
    }

    /** Parses a literal address only: a host name here would mean a DNS lookup at every check. */
    public static InetAddress literal(String key, String address, String shownAs) {
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && !address.contains(":")) {
            throw new InvalidInputException(key, key + ": '" + shownAs + "' is not an IPv4 or IPv6 address or network");
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (v4 && parsed.getAddress().length != 4) {
                throw new UnknownHostException(address);
            }
            return parsed;
        } catch (UnknownHostException | SecurityException e) {
            throw new InvalidInputException(key, key + ": '" + shownAs + "' is not an IPv4 or IPv6 address or network");
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xFF << (8 - keep));
        }
        return masked;
    }

    @Override
    public String toString() {
        return text;
    }
}
