package io.playbill.gateway.console;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** How the console offers sign-in; public, since it is read before anyone has signed in. */
@RestController
class ConsoleController {

    private final ConsoleProperties settings;
    private final boolean devSignIn;

    ConsoleController(ConsoleProperties settings, ObjectProvider<DevTokenController> devSignIn) {
        this.settings = settings;
        this.devSignIn = devSignIn.getIfAvailable() != null;
    }

    @GetMapping(path = "/console/config.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ConsoleConfig> config() {
        ConsoleProperties.Oidc oidc = settings.oidc();
        ConsoleConfig.Oidc signIn = oidc == null ? null : new ConsoleConfig.Oidc(oidc.authorizationUri(),
                oidc.tokenUri(), oidc.clientId(), oidc.scope(), oidc.parameters());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new ConsoleConfig(devSignIn, signIn));
    }

    /**
     * @param devSignIn whether {@code POST /console/dev-token} exists (dev mode with an HMAC user secret)
     * @param oidc      the identity provider to send people to, or null
     */
    record ConsoleConfig(boolean devSignIn, Oidc oidc) {

        record Oidc(String authorizationUri, String tokenUri, String clientId, String scope,
                    Map<String, String> parameters) {
        }
    }
}
