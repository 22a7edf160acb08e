# Build PCN Desktop on Windows: what installer/build.sh does on Linux, plus the real installer.
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1 [-SkipTests] [-Sign -CertFile C:\certs\x.pfx -TimestampUrl <url>] [-AllUsers]
# Steps: a venv with the app and PyInstaller; the tests; icon, version resource and version.nsh
# from pcn_desktop.__version__; the freeze (dist\pcn-desktop: pcn-desktop.exe, the window, and
# pcn-desktop-cli.exe, the console program); the smoke test of the frozen programs against the
# source build in a clean environment; optional signing; makensis. Stops at the first failure.
[CmdletBinding()]
param(
    [switch]$SkipTests,
    [switch]$Sign,
    [string]$CertFile = $env:PCN_SIGN_CERT,
    [string]$TimestampUrl = $env:PCN_TIMESTAMP_URL,
    [switch]$AllUsers,
    [string]$Python = "py"
)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Step([string]$Name, [scriptblock]$Body) {
    Write-Host "== $Name"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Body
    if ($LASTEXITCODE -ne 0) { throw "$Name failed (exit $LASTEXITCODE)" }
    Write-Host ("   {0:N0} s" -f $watch.Elapsed.TotalSeconds)
}

$venv = Join-Path (Get-Location) ".venv"
$py = Join-Path $venv "Scripts\python.exe"
Step "virtual environment" {
    if (-not (Test-Path $py)) {
        if ($Python -eq "py") { & py -3.11 -m venv $venv } else { & $Python -m venv $venv }
    }
    & $py -m pip install -q --disable-pip-version-check --upgrade pip
    & $py -m pip install -q --disable-pip-version-check -e ".[test,freeze]"
}
Step "map assets (Leaflet from the npm registry, checksummed)" { & $py scripts\fetch_map_assets.py }
if (-not $SkipTests) {
    $env:QT_QPA_PLATFORM = "offscreen"
    Step "architecture contracts" { & (Join-Path $venv "Scripts\lint-imports.exe") --no-cache }
    Step "tests" { & $py -m pytest -q -p no:cacheprovider }
    Remove-Item Env:\QT_QPA_PLATFORM
}
Step "icon, version resource, installer version" { & $py installer\make_assets.py }
Step "freeze" {
    & (Join-Path $venv "Scripts\pyinstaller.exe") --noconfirm --log-level WARN --distpath dist `
        --workpath build\pyinstaller installer\pcn_desktop.spec
}
$size = (Get-ChildItem dist\pcn-desktop -Recurse -File | Measure-Object Length -Sum)
Write-Host ("frozen: dist\pcn-desktop, {0:N0} MB in {1:N0} files" -f ($size.Sum / 1MB), $size.Count)
Step "smoke test of the frozen programs (clean environment)" {
    & $py scripts\frozen_smoke.py dist\pcn-desktop --no-screenshot
}
if ($Sign) {
    if (-not $CertFile -or -not $TimestampUrl) { throw "-Sign needs -CertFile and -TimestampUrl (or PCN_SIGN_CERT, PCN_TIMESTAMP_URL)" }
    Step "sign the programs" {
        signtool sign /fd sha256 /td sha256 /tr $TimestampUrl /f $CertFile `
            dist\pcn-desktop\pcn-desktop.exe dist\pcn-desktop\pcn-desktop-cli.exe
    }
}
Step "installer file lists" { & $py installer\make_assets.py --files dist\pcn-desktop }
$defines = @()
if ($AllUsers) { $defines += "/DALLUSERS" }
if ($Sign) { $defines += "/DSIGN_CERT=$CertFile"; $defines += "/DTIMESTAMP_URL=$TimestampUrl" }
if ($env:PCN_SIGN_PASSWORD) { $defines += "/DSIGN_PASSWORD_ENV=PCN_SIGN_PASSWORD" }
$makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $makensis) { $makensis = Join-Path ${env:ProgramFiles(x86)} "NSIS\makensis.exe" }
Step "installer (NSIS)" { & $makensis /V2 @defines installer\pcn_desktop.nsi }
Get-ChildItem dist\pcn-desktop-*-setup.exe | ForEach-Object { Write-Host ("installer: {0} ({1:N0} MB)" -f $_.FullName, ($_.Length / 1MB)) }
