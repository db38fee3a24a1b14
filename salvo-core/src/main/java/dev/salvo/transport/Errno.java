package dev.salvo.transport;

/**
 * Linux errno numbers (the generic table, shared by x86-64 and aarch64) and their names.
 *
 * <p>Every layer speaks errno as a plain {@code int} so that hot paths can return
 * {@code -errno} without allocating; {@link #name(int)} turns one into text for messages.
 */
public final class Errno {
    private Errno() {
    }

    /** Linux errno EPERM. */
    public static final int EPERM = 1;
    /** Linux errno ENOENT. */
    public static final int ENOENT = 2;
    /** Linux errno ESRCH. */
    public static final int ESRCH = 3;
    /** Linux errno EINTR. */
    public static final int EINTR = 4;
    /** Linux errno EIO. */
    public static final int EIO = 5;
    /** Linux errno ENXIO. */
    public static final int ENXIO = 6;
    /** Linux errno E2BIG. */
    public static final int E2BIG = 7;
    /** Linux errno ENOEXEC. */
    public static final int ENOEXEC = 8;
    /** Linux errno EBADF. */
    public static final int EBADF = 9;
    /** Linux errno ECHILD. */
    public static final int ECHILD = 10;
    /** Linux errno EAGAIN. */
    public static final int EAGAIN = 11;
    /** Linux errno ENOMEM. */
    public static final int ENOMEM = 12;
    /** Linux errno EACCES. */
    public static final int EACCES = 13;
    /** Linux errno EFAULT. */
    public static final int EFAULT = 14;
    /** Linux errno ENOTBLK. */
    public static final int ENOTBLK = 15;
    /** Linux errno EBUSY. */
    public static final int EBUSY = 16;
    /** Linux errno EEXIST. */
    public static final int EEXIST = 17;
    /** Linux errno EXDEV. */
    public static final int EXDEV = 18;
    /** Linux errno ENODEV. */
    public static final int ENODEV = 19;
    /** Linux errno ENOTDIR. */
    public static final int ENOTDIR = 20;
    /** Linux errno EISDIR. */
    public static final int EISDIR = 21;
    /** Linux errno EINVAL. */
    public static final int EINVAL = 22;
    /** Linux errno ENFILE. */
    public static final int ENFILE = 23;
    /** Linux errno EMFILE. */
    public static final int EMFILE = 24;
    /** Linux errno ENOTTY. */
    public static final int ENOTTY = 25;
    /** Linux errno ETXTBSY. */
    public static final int ETXTBSY = 26;
    /** Linux errno EFBIG. */
    public static final int EFBIG = 27;
    /** Linux errno ENOSPC. */
    public static final int ENOSPC = 28;
    /** Linux errno ESPIPE. */
    public static final int ESPIPE = 29;
    /** Linux errno EROFS. */
    public static final int EROFS = 30;
    /** Linux errno EMLINK. */
    public static final int EMLINK = 31;
    /** Linux errno EPIPE. */
    public static final int EPIPE = 32;
    /** Linux errno EDOM. */
    public static final int EDOM = 33;
    /** Linux errno ERANGE. */
    public static final int ERANGE = 34;
    /** Linux errno EDEADLK. */
    public static final int EDEADLK = 35;
    /** Linux errno ENAMETOOLONG. */
    public static final int ENAMETOOLONG = 36;
    /** Linux errno ENOLCK. */
    public static final int ENOLCK = 37;
    /** Linux errno ENOSYS. */
    public static final int ENOSYS = 38;
    /** Linux errno ENOTEMPTY. */
    public static final int ENOTEMPTY = 39;
    /** Linux errno ELOOP. */
    public static final int ELOOP = 40;
    /** Linux errno ENOMSG. */
    public static final int ENOMSG = 42;
    /** Linux errno EIDRM. */
    public static final int EIDRM = 43;
    /** Linux errno ECHRNG. */
    public static final int ECHRNG = 44;
    /** Linux errno EL2NSYNC. */
    public static final int EL2NSYNC = 45;
    /** Linux errno EL3HLT. */
    public static final int EL3HLT = 46;
    /** Linux errno EL3RST. */
    public static final int EL3RST = 47;
    /** Linux errno ELNRNG. */
    public static final int ELNRNG = 48;
    /** Linux errno EUNATCH. */
    public static final int EUNATCH = 49;
    /** Linux errno ENOCSI. */
    public static final int ENOCSI = 50;
    /** Linux errno EL2HLT. */
    public static final int EL2HLT = 51;
    /** Linux errno EBADE. */
    public static final int EBADE = 52;
    /** Linux errno EBADR. */
    public static final int EBADR = 53;
    /** Linux errno EXFULL. */
    public static final int EXFULL = 54;
    /** Linux errno ENOANO. */
    public static final int ENOANO = 55;
    /** Linux errno EBADRQC. */
    public static final int EBADRQC = 56;
    /** Linux errno EBADSLT. */
    public static final int EBADSLT = 57;
    /** Linux errno EBFONT. */
    public static final int EBFONT = 59;
    /** Linux errno ENOSTR. */
    public static final int ENOSTR = 60;
    /** Linux errno ENODATA. */
    public static final int ENODATA = 61;
    /** Linux errno ETIME. */
    public static final int ETIME = 62;
    /** Linux errno ENOSR. */
    public static final int ENOSR = 63;
    /** Linux errno ENONET. */
    public static final int ENONET = 64;
    /** Linux errno ENOPKG. */
    public static final int ENOPKG = 65;
    /** Linux errno EREMOTE. */
    public static final int EREMOTE = 66;
    /** Linux errno ENOLINK. */
    public static final int ENOLINK = 67;
    /** Linux errno EADV. */
    public static final int EADV = 68;
    /** Linux errno ESRMNT. */
    public static final int ESRMNT = 69;
    /** Linux errno ECOMM. */
    public static final int ECOMM = 70;
    /** Linux errno EPROTO. */
    public static final int EPROTO = 71;
    /** Linux errno EMULTIHOP. */
    public static final int EMULTIHOP = 72;
    /** Linux errno EDOTDOT. */
    public static final int EDOTDOT = 73;
    /** Linux errno EBADMSG. */
    public static final int EBADMSG = 74;
    /** Linux errno EOVERFLOW. */
    public static final int EOVERFLOW = 75;
    /** Linux errno ENOTUNIQ. */
    public static final int ENOTUNIQ = 76;
    /** Linux errno EBADFD. */
    public static final int EBADFD = 77;
    /** Linux errno EREMCHG. */
    public static final int EREMCHG = 78;
    /** Linux errno ELIBACC. */
    public static final int ELIBACC = 79;
    /** Linux errno ELIBBAD. */
    public static final int ELIBBAD = 80;
    /** Linux errno ELIBSCN. */
    public static final int ELIBSCN = 81;
    /** Linux errno ELIBMAX. */
    public static final int ELIBMAX = 82;
    /** Linux errno ELIBEXEC. */
    public static final int ELIBEXEC = 83;
    /** Linux errno EILSEQ. */
    public static final int EILSEQ = 84;
    /** Linux errno ERESTART. */
    public static final int ERESTART = 85;
    /** Linux errno ESTRPIPE. */
    public static final int ESTRPIPE = 86;
    /** Linux errno EUSERS. */
    public static final int EUSERS = 87;
    /** Linux errno ENOTSOCK. */
    public static final int ENOTSOCK = 88;
    /** Linux errno EDESTADDRREQ. */
    public static final int EDESTADDRREQ = 89;
    /** Linux errno EMSGSIZE. */
    public static final int EMSGSIZE = 90;
    /** Linux errno EPROTOTYPE. */
    public static final int EPROTOTYPE = 91;
    /** Linux errno ENOPROTOOPT. */
    public static final int ENOPROTOOPT = 92;
    /** Linux errno EPROTONOSUPPORT. */
    public static final int EPROTONOSUPPORT = 93;
    /** Linux errno ESOCKTNOSUPPORT. */
    public static final int ESOCKTNOSUPPORT = 94;
    /** Linux errno EOPNOTSUPP. */
    public static final int EOPNOTSUPP = 95;
    /** Linux errno EPFNOSUPPORT. */
    public static final int EPFNOSUPPORT = 96;
    /** Linux errno EAFNOSUPPORT. */
    public static final int EAFNOSUPPORT = 97;
    /** Linux errno EADDRINUSE. */
    public static final int EADDRINUSE = 98;
    /** Linux errno EADDRNOTAVAIL. */
    public static final int EADDRNOTAVAIL = 99;
    /** Linux errno ENETDOWN. */
    public static final int ENETDOWN = 100;
    /** Linux errno ENETUNREACH. */
    public static final int ENETUNREACH = 101;
    /** Linux errno ENETRESET. */
    public static final int ENETRESET = 102;
    /** Linux errno ECONNABORTED. */
    public static final int ECONNABORTED = 103;
    /** Linux errno ECONNRESET. */
    public static final int ECONNRESET = 104;
    /** Linux errno ENOBUFS. */
    public static final int ENOBUFS = 105;
    /** Linux errno EISCONN. */
    public static final int EISCONN = 106;
    /** Linux errno ENOTCONN. */
    public static final int ENOTCONN = 107;
    /** Linux errno ESHUTDOWN. */
    public static final int ESHUTDOWN = 108;
    /** Linux errno ETOOMANYREFS. */
    public static final int ETOOMANYREFS = 109;
    /** Linux errno ETIMEDOUT. */
    public static final int ETIMEDOUT = 110;
    /** Linux errno ECONNREFUSED. */
    public static final int ECONNREFUSED = 111;
    /** Linux errno EHOSTDOWN. */
    public static final int EHOSTDOWN = 112;
    /** Linux errno EHOSTUNREACH. */
    public static final int EHOSTUNREACH = 113;
    /** Linux errno EALREADY. */
    public static final int EALREADY = 114;
    /** Linux errno EINPROGRESS. */
    public static final int EINPROGRESS = 115;
    /** Linux errno ESTALE. */
    public static final int ESTALE = 116;
    /** Linux errno EUCLEAN. */
    public static final int EUCLEAN = 117;
    /** Linux errno ENOTNAM. */
    public static final int ENOTNAM = 118;
    /** Linux errno ENAVAIL. */
    public static final int ENAVAIL = 119;
    /** Linux errno EISNAM. */
    public static final int EISNAM = 120;
    /** Linux errno EREMOTEIO. */
    public static final int EREMOTEIO = 121;
    /** Linux errno EDQUOT. */
    public static final int EDQUOT = 122;
    /** Linux errno ENOMEDIUM. */
    public static final int ENOMEDIUM = 123;
    /** Linux errno EMEDIUMTYPE. */
    public static final int EMEDIUMTYPE = 124;
    /** Linux errno ECANCELED. */
    public static final int ECANCELED = 125;
    /** Linux errno ENOKEY. */
    public static final int ENOKEY = 126;
    /** Linux errno EKEYEXPIRED. */
    public static final int EKEYEXPIRED = 127;
    /** Linux errno EKEYREVOKED. */
    public static final int EKEYREVOKED = 128;
    /** Linux errno EKEYREJECTED. */
    public static final int EKEYREJECTED = 129;
    /** Linux errno EOWNERDEAD. */
    public static final int EOWNERDEAD = 130;
    /** Linux errno ENOTRECOVERABLE. */
    public static final int ENOTRECOVERABLE = 131;
    /** Linux errno ERFKILL. */
    public static final int ERFKILL = 132;
    /** Linux errno EHWPOISON. */
    public static final int EHWPOISON = 133;

    private static final String[] NAMES = {
        null,
        "EPERM",
        "ENOENT",
        "ESRCH",
        "EINTR",
        "EIO",
        "ENXIO",
        "E2BIG",
        "ENOEXEC",
        "EBADF",
        "ECHILD",
        "EAGAIN",
        "ENOMEM",
        "EACCES",
        "EFAULT",
        "ENOTBLK",
        "EBUSY",
        "EEXIST",
        "EXDEV",
        "ENODEV",
        "ENOTDIR",
        "EISDIR",
        "EINVAL",
        "ENFILE",
        "EMFILE",
        "ENOTTY",
        "ETXTBSY",
        "EFBIG",
        "ENOSPC",
        "ESPIPE",
        "EROFS",
        "EMLINK",
        "EPIPE",
        "EDOM",
        "ERANGE",
        "EDEADLK",
        "ENAMETOOLONG",
        "ENOLCK",
        "ENOSYS",
        "ENOTEMPTY",
        "ELOOP",
        null,
        "ENOMSG",
        "EIDRM",
        "ECHRNG",
        "EL2NSYNC",
        "EL3HLT",
        "EL3RST",
        "ELNRNG",
        "EUNATCH",
        "ENOCSI",
        "EL2HLT",
        "EBADE",
        "EBADR",
        "EXFULL",
        "ENOANO",
        "EBADRQC",
        "EBADSLT",
        null,
        "EBFONT",
        "ENOSTR",
        "ENODATA",
        "ETIME",
        "ENOSR",
        "ENONET",
        "ENOPKG",
        "EREMOTE",
        "ENOLINK",
        "EADV",
        "ESRMNT",
        "ECOMM",
        "EPROTO",
        "EMULTIHOP",
        "EDOTDOT",
        "EBADMSG",
        "EOVERFLOW",
        "ENOTUNIQ",
        "EBADFD",
        "EREMCHG",
        "ELIBACC",
        "ELIBBAD",
        "ELIBSCN",
        "ELIBMAX",
        "ELIBEXEC",
        "EILSEQ",
        "ERESTART",
        "ESTRPIPE",
        "EUSERS",
        "ENOTSOCK",
        "EDESTADDRREQ",
        "EMSGSIZE",
        "EPROTOTYPE",
        "ENOPROTOOPT",
        "EPROTONOSUPPORT",
        "ESOCKTNOSUPPORT",
        "EOPNOTSUPP",
        "EPFNOSUPPORT",
        "EAFNOSUPPORT",
        "EADDRINUSE",
        "EADDRNOTAVAIL",
        "ENETDOWN",
        "ENETUNREACH",
        "ENETRESET",
        "ECONNABORTED",
        "ECONNRESET",
        "ENOBUFS",
        "EISCONN",
        "ENOTCONN",
        "ESHUTDOWN",
        "ETOOMANYREFS",
        "ETIMEDOUT",
        "ECONNREFUSED",
        "EHOSTDOWN",
        "EHOSTUNREACH",
        "EALREADY",
        "EINPROGRESS",
        "ESTALE",
        "EUCLEAN",
        "ENOTNAM",
        "ENAVAIL",
        "EISNAM",
        "EREMOTEIO",
        "EDQUOT",
        "ENOMEDIUM",
        "EMEDIUMTYPE",
        "ECANCELED",
        "ENOKEY",
        "EKEYEXPIRED",
        "EKEYREVOKED",
        "EKEYREJECTED",
        "EOWNERDEAD",
        "ENOTRECOVERABLE",
        "ERFKILL",
        "EHWPOISON"
    };

    /**
     * The symbolic name of an errno value, such as {@code "EMSGSIZE"}.
     *
     * @param errno a positive errno number
     * @return its name, or {@code "errno N"} when the number is unknown
     */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }

    /**
     * Formats a failed operation the same way everywhere: {@code "sendmsg failed: EMSGSIZE (90)"}.
     *
     * @param operation the system call or operation that failed
     * @param errno the positive errno it reported
     * @return the message text
     */
    public static String describe(String operation, int errno) {
        return operation + " failed: " + name(errno) + " (" + errno + ")";
    }
}
