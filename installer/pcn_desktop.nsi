; PCN Desktop installer (NSIS 3). Wraps the PyInstaller one-folder build, dist/pcn-desktop.
;
; Build (installer/build.ps1 on Windows, installer/build.sh on Linux do all of this):
;   python installer/make_assets.py                          icon, version resource, version.nsh
;   pyinstaller installer/pcn_desktop.spec                   dist/pcn-desktop
;   python installer/make_assets.py --files dist/pcn-desktop the exact file lists
;   makensis installer/pcn_desktop.nsi                       dist/pcn-desktop-<version>-setup.exe
;
; Options at build time (makensis -DNAME[=value]):
;   ALLUSERS        machine-wide build for Intune/SCCM: Program Files, HKLM, needs admin
;   SIGN_CERT=path  sign the installer and the uninstaller with signtool (see below)
;   FAST            no compression (CI only checks that the script compiles)
;   OUTFILE=path    where to write the installer
;
; Installing:
;   pcn-desktop-<version>-setup.exe            per user, no admin rights, %LOCALAPPDATA%\Programs\PCN Desktop
;   pcn-desktop-<version>-setup.exe /S         silent (scripts, Intune/SCCM); /D=C:\path sets the parent folder
;   "%LOCALAPPDATA%\Programs\PCN Desktop\uninstall.exe" /S    silent uninstall
;
; Exit codes: 0 installed, 1 cancelled or PCN Desktop still running (silent installs do not wait),
; 2 aborted by an error.
;
; Code signing. Managed laptops (AppLocker, SmartScreen, Defender Application Control) block
; or warn on unsigned programs in a user's profile. The executables are signed before they
; are packed (installer/build.ps1 -Sign runs signtool over dist\pcn-desktop\*.exe); the
; installer and uninstaller are signed here by !finalize / !uninstfinalize:
;   makensis -DSIGN_CERT=C:\certs\nhs-codesign.pfx -DSIGN_PASSWORD_ENV=PFX_PASSWORD ^
;            -DTIMESTAMP_URL=<your CA's RFC 3161 timestamp service> installer\pcn_desktop.nsi
; A certificate held in a hardware token or Azure Key Vault is used the same way with
; signtool's /sha1 or /dlib options instead of /f.

Unicode true
ManifestDPIAware true
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "build\version.nsh"
!include "build\size.nsh"

!define APP "PCN Desktop"
!define APP_ID "PCNDesktop"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define PROGID "PCNDesktop.Project"
!define SUBFOLDER "PCN Desktop"

Name "${APP} ${VERSION}"
!ifdef OUTFILE
  OutFile "${OUTFILE}"
!else
  OutFile "..\dist\pcn-desktop-${VERSION}-setup.exe"
!endif
Icon "build\pcn-desktop.ico"
UninstallIcon "build\pcn-desktop.ico"
BrandingText "${APP} ${VERSION}"
!ifdef FAST
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifdef ALLUSERS
  RequestExecutionLevel admin
  InstallDir "$PROGRAMFILES64\${SUBFOLDER}"
!else
  RequestExecutionLevel user
  InstallDir "$LOCALAPPDATA\Programs\${SUBFOLDER}"
!endif

; Version resource of the installer itself, from the same version source as the programs.
VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=2057 "ProductName" "${APP}"
VIAddVersionKey /LANG=2057 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2057 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2057 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2057 "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=2057 "LegalCopyright" "MIT licence"

!ifdef SIGN_CERT
  !ifndef TIMESTAMP_URL
    !error "SIGN_CERT needs TIMESTAMP_URL: an unstamped signature expires with the certificate"
  !endif
  !ifdef SIGN_PASSWORD_ENV
    !define SIGN_PASSWORD '/p "%${SIGN_PASSWORD_ENV}%"'
  !else
    !define SIGN_PASSWORD ""
  !endif
  !finalize 'signtool sign /fd sha256 /td sha256 /tr "${TIMESTAMP_URL}" /f "${SIGN_CERT}" ${SIGN_PASSWORD} "%1"' = 0
  !uninstfinalize 'signtool sign /fd sha256 /td sha256 /tr "${TIMESTAMP_URL}" /f "${SIGN_CERT}" ${SIGN_PASSWORD} "%1"' = 0
!endif

Page directory "" "" CheckFolder
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Function .onInit
!ifdef ALLUSERS
  SetShellVarContext all
  SetRegView 64
!else
  SetShellVarContext current
!endif
  ; Upgrade in place: reuse the folder of an existing installation.
  ReadRegStr $0 SHCTX "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${EndIf}
  Call FixedSubfolder
FunctionEnd

; Whatever folder is picked, the program goes into its own "PCN Desktop" sub-folder, so the
; uninstaller can never remove a folder the user owns (picking Documents installs into
; Documents\PCN Desktop).
Function FixedSubfolder
  ${GetFileName} "$INSTDIR" $1
  ${If} $1 != "${SUBFOLDER}"
    StrCpy $INSTDIR "$INSTDIR\${SUBFOLDER}"
  ${EndIf}
FunctionEnd

Function CheckFolder
  Call FixedSubfolder
FunctionEnd

; A running program holds its .exe open: Windows refuses to rename it. Ask the user to close
; it (Retry/Cancel); a silent install gives up with exit code 1 instead of waiting.
!macro WaitUntilClosed un
Function ${un}WaitUntilClosed
  ${ForEach} $R1 0 1 + 1
    ${If} $R1 == 0
      StrCpy $R2 "pcn-desktop.exe"
    ${Else}
      StrCpy $R2 "pcn-desktop-cli.exe"
    ${EndIf}
    ${DoWhile} ${FileExists} "$INSTDIR\$R2"
      ClearErrors
      Rename "$INSTDIR\$R2" "$INSTDIR\$R2.in-use-check"
      ${IfNot} ${Errors}
        Rename "$INSTDIR\$R2.in-use-check" "$INSTDIR\$R2"
        ${Break}
      ${EndIf}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP} is running. Close every ${APP} window (and any script using pcn-desktop-cli), then press Retry." /SD IDCANCEL IDRETRY retry
      SetErrorLevel 1
      Quit
      retry:
    ${Loop}
  ${Next}
FunctionEnd
!macroend
!insertmacro WaitUntilClosed ""
!insertmacro WaitUntilClosed "un."

Section "${APP}" Main
  Call WaitUntilClosed
  ; Upgrade: the previous version's uninstaller removes exactly its own files (kept in place
  ; with _?= so that it runs from the folder), then the new files go in.
  ${If} ${FileExists} "$INSTDIR\uninstall.exe"
    ExecWait '"$INSTDIR\uninstall.exe" /S /UPGRADE _?=$INSTDIR' $0
    Delete "$INSTDIR\uninstall.exe"
  ${EndIf}
  !include "build\files_install.nsh"
  SetOutPath "$INSTDIR"
  File "/oname=pcn-desktop.ico" "build\pcn-desktop.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\pcn-desktop.exe" "" "$INSTDIR\pcn-desktop.ico"

  ; Settings › Apps: name, version, publisher, size, icon, silent uninstall.
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\pcn-desktop.ico"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" ${INSTALL_SIZE_KB}
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1

  ; Double-clicking a .pcnproj opens it in the window.
  WriteRegStr SHCTX "Software\Classes\.pcnproj" "" "${PROGID}"
  WriteRegStr SHCTX "Software\Classes\${PROGID}" "" "PCN Desktop project"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\pcn-desktop.ico"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\pcn-desktop.exe" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Function un.onInit
!ifdef ALLUSERS
  SetShellVarContext all
  SetRegView 64
!else
  SetShellVarContext current
!endif
FunctionEnd

; Removes only what the installer wrote: its files one by one, then the folders if empty.
; Projects, settings (%APPDATA%\PCN Desktop) and recovery files (%LOCALAPPDATA%\PCN Desktop)
; belong to the user and stay.
Section "Uninstall"
  Call un.WaitUntilClosed
  !include "build\files_uninstall.nsh"
  Delete "$INSTDIR\pcn-desktop.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/UPGRADE" $1
  ${If} ${Errors}               ; a real uninstall, not the first half of an upgrade
    Delete "$SMPROGRAMS\${APP}\${APP}.lnk"
    RMDir "$SMPROGRAMS\${APP}"
    DeleteRegKey SHCTX "${UNINSTALL_KEY}"
    ReadRegStr $2 SHCTX "Software\Classes\.pcnproj" ""
    ${If} $2 == "${PROGID}"
      DeleteRegKey SHCTX "Software\Classes\.pcnproj"
    ${EndIf}
    DeleteRegKey SHCTX "Software\Classes\${PROGID}"
    System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ${EndIf}
SectionEnd
