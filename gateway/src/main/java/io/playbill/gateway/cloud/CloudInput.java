package io.playbill.gateway.cloud;

/** Input rules of the cloud-game requests: only values GS accepts reach it, and nothing else rides along. */
final class CloudInput {

    static final String GAME_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";
    static final String GAME_ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-'";
    static final String REGION_PATTERN = "[a-z0-9-]{1,32}";
    static final String REGION_RULE = "must be a region like ap-guangzhou";
    static final String GROUP_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";
    static final String GROUP_ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-'";
    static final String RESOLUTION_PATTERN = "\\d{2,5}x\\d{2,5}|\\d{3,4}p";
    static final String RESOLUTION_RULE = "must be like 1920x1080 or 1080p";
    static final String IMAGE_URL_PATTERN = "https?://\\S{1,1000}";
    static final String IMAGE_URL_RULE = "must be an http(s) URL of at most 1000 characters";
    static final int MAX_GAME_PARAS = 1024;
    static final long MAX_BITRATE = 100_000;
    static final long MAX_FPS = 240;

    private CloudInput() {
    }
}
