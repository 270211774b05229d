package io.playbill.gateway.cloud;

import java.util.Set;

/** Input rules of the cloud-game requests: only values GS accepts reach it, and nothing else rides along. */
final class CloudInput {

    /**
     * The JS SDK's ClientSession is Base64 of a JSON object holding the whole SDP offer, about 8 KiB; other
     * browsers and options list more codecs. The bound leaves room for them within the start endpoints' 64 KiB body.
     */
    static final int MAX_CLIENT_SESSION = 60 * 1024;
    /** Base64, standard or URL-safe alphabet, optionally padded: nothing else can ride in it. */
    static final String CLIENT_SESSION_PATTERN = "[A-Za-z0-9+/_-]+={0,2}";
    static final String CLIENT_SESSION_RULE = "must be the SDK's ClientSession: Base64, at most " + MAX_CLIENT_SESSION
            + " characters";
    static final String GAME_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";
    static final String GAME_ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-'";
    static final String REGION_PATTERN = "[a-z0-9-]{1,32}";
    static final String REGION_RULE = "must be a region like ap-guangzhou";
    static final String GROUP_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";
    static final String GROUP_ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-'";
    static final String RESOLUTION_PATTERN = "1080p|720p|[1-9]\\d{1,4}x[1-9]\\d{1,4}";
    static final String RESOLUTION_RULE = "must be 1080p, 720p or WIDTHxHEIGHT like 1920x1080";
    static final String IMAGE_URL_PATTERN = "https?://\\S{1,1000}";
    static final String IMAGE_URL_RULE = "must be an http(s) URL of at most 1000 characters";
    static final int MAX_GAME_PARAS = 1024;
    /** CreateSession's MaxBitrate and MinBitrate are in Mbps. */
    static final long MAX_BITRATE_MBPS = 100;
    static final String BITRATE_RULE = "must be 1-" + MAX_BITRATE_MBPS + " (Mbps)";
    /** The frame rates CreateSession accepts. */
    static final Set<Long> FPS = Set.of(30L, 45L, 60L, 90L, 120L, 144L);
    static final String FPS_RULE = "must be one of 30, 45, 60, 90, 120, 144";

    private CloudInput() {
    }
}
