using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Remote.Transport.DotNetty;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// Peers that prove the cluster's shared secret, over mutual TLS. Each node makes, at start, a self-signed certificate
/// for a fresh key pair, carrying an extension with HMAC-SHA256(key derived from the secret, the certificate's public
/// key). Every connection is mutual TLS (Akka.Remote's, both sides present a certificate), and each side accepts the
/// other's certificate only if that proof matches: a node without the secret cannot make one, and a copied certificate
/// is useless without its private key, which TLS proves. All traffic between nodes is then encrypted.
/// </summary>
internal static class PeerAuthentication
{
    /// <summary>The proof's extension: an OID under 2.25 (an OID made from a UUID, X.667), Wisp's own.</summary>
    private const string ProofOid = "2.25.178294102733106520935118231591092893251";

    /// <summary>The HMAC key: SHA-256 of the secret's UTF-8, so any length of secret gives a full-size key.</summary>
    public static byte[] KeyOf(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    public static X509Certificate2 Mint(string nodeName, byte[] key)
    {
        using var pair = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=wisp node {nodeName}", pair, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension(ProofOid, Proof(key, request.PublicKey.ExportSubjectPublicKeyInfo()), critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        // Re-loaded from PKCS#12 so that TLS can use the private key on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>Accepts a peer whose certificate carries a proof made with the same secret for its own public key.</summary>
    public static CertificateValidationCallback Validator(byte[] key, ILogger log) => (certificate, _, peer, _, _) =>
    {
        if (certificate is null)
        {
            log.LogWarning("peer {peer} refused: it presented no certificate (the cluster needs its shared secret)", peer);
            return false;
        }
        var extension = certificate.Extensions[ProofOid];
        var expected = Proof(key, certificate.PublicKey.ExportSubjectPublicKeyInfo());
        if (extension is not null && CryptographicOperations.FixedTimeEquals(extension.RawData, expected)) return true;
        log.LogWarning("peer {peer} refused: its certificate ({subject}) does not prove the cluster's shared secret", peer, certificate.Subject);
        return false;
    };

    private static byte[] Proof(byte[] key, byte[] publicKey) => HMACSHA256.HashData(key, publicKey);

    /// <summary>The engine's TLS setup for these options: the secret's proof, or the given certificate checked against the system's roots.</summary>
    public static DotNettySslSetup? Setup(ClusterOptions options, ILogger log)
    {
        if (options.Secret is { } secret)
        {
            var key = KeyOf(secret);
            return new DotNettySslSetup(Mint(options.NodeName, key), suppressValidation: false, requireMutualAuthentication: true,
                validateCertificateHostname: false, Validator(key, log));
        }
        if (options.CertificatePath is { } path)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
            return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true);
        }
        return null;
    }
}
