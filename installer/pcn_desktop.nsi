; NSIS script: wraps the PyInstaller one-folder build into a Windows installer.
; makensis -DVERSION=0.1.0 installer/pcn_desktop.nsi   (after building dist/pcn-desktop)
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
Unicode true
Name "PCN Desktop ${VERSION}"
OutFile "..\dist\pcn-desktop-${VERSION}-setup.exe"
InstallDir "$LOCALAPPDATA\Programs\PCN Desktop"
RequestExecutionLevel user
SetCompressor /SOLID lzma

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "PCN Desktop"
  SetOutPath "$INSTDIR"
  File /r "..\dist\pcn-desktop\*.*"
  CreateDirectory "$SMPROGRAMS\PCN Desktop"
  CreateShortcut "$SMPROGRAMS\PCN Desktop\PCN Desktop.lnk" "$INSTDIR\pcn-desktop.exe"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\Classes\.pcnproj" "" "PCNDesktop.Project"
  WriteRegStr HKCU "Software\Classes\PCNDesktop.Project\shell\open\command" "" '"$INSTDIR\pcn-desktop.exe" "%1"'
SectionEnd

Section "Uninstall"
  RMDir /r "$INSTDIR"
  RMDir /r "$SMPROGRAMS\PCN Desktop"
  DeleteRegKey HKCU "Software\Classes\PCNDesktop.Project"
  DeleteRegKey HKCU "Software\Classes\.pcnproj"
SectionEnd
