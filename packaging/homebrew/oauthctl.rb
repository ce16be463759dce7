# Homebrew formula for oauthctl: built from the release's source tarball with cargo, with its man
# page and the bash, zsh and fish completions.
#
# This file is a template. @HOMEPAGE@, @URL@ and @SHA256@ are placeholders, not values: the release
# workflow (.github/workflows/release.yml) fills them in for the tag (the repository, its source
# tarball and that tarball's SHA-256) and attaches the finished oauthctl.rb to the GitHub release.
# Install that one; the README's Install section says how.
class Oauthctl < Formula
  desc "Fetch, cache and use OAuth 2.0 access tokens for vendor APIs"
  homepage "@HOMEPAGE@"
  url "@URL@"
  sha256 "@SHA256@"
  license any_of: ["MIT", "Apache-2.0"]

  depends_on "rust" => :build

  def install
    # cargo runs in the source folder, so the repository's .cargo/config.toml applies.
    system "cargo", "install", *std_cargo_args
    man1.install "man/oauthctl.1"
    bash_completion.install "completions/oauthctl.bash" => "oauthctl"
    zsh_completion.install "completions/_oauthctl"
    fish_completion.install "completions/oauthctl.fish"
  end

  test do
    assert_match "oauthctl #{version}", shell_output("#{bin}/oauthctl --version")
    assert_match ".TH oauthctl 1", shell_output("#{bin}/oauthctl man")
  end
end
