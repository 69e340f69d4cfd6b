# Install rules for flow-mlir and the FlowMLIR CMake package.
#
# After `cmake --install <build> --prefix P`, a downstream project does
#   find_package(FlowMLIR CONFIG)      # with P in CMAKE_PREFIX_PATH
#   target_link_libraries(my-tool PRIVATE FlowMLIR::FlowRegistration)
# The libraries themselves are installed and exported by flow_add_library
# (lib/CMakeLists.txt); this file adds the headers, the tools and the
# package files.

set(FLOW_MLIR_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/FlowMLIR)

# Headers, ODS sources and the tablegen-generated .inc files.
install(DIRECTORY
    ${PROJECT_SOURCE_DIR}/include/flow
    ${PROJECT_SOURCE_DIR}/include/flow-c
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT FlowMLIR
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td" PATTERN "*.def")
install(DIRECTORY
    ${PROJECT_BINARY_DIR}/include/flow
    ${PROJECT_BINARY_DIR}/include/flow-c
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT FlowMLIR
  FILES_MATCHING PATTERN "*.inc"
  PATTERN "CMakeFiles" EXCLUDE)

# Tools (whichever of them this build has).
foreach(tool flow-opt flow-runner)
  if(TARGET ${tool})
    install(TARGETS ${tool}
      RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT FlowMLIR)
  endif()
endforeach()

# An exported library must not link a project target that is not exported
# (install(EXPORT) fails at generate time). Libraries made by
# flow_add_library are exported already; export any other project library
# they link (for example a runtime made with plain add_library) as well.
get_property(_flow_exported GLOBAL PROPERTY FLOW_MLIR_EXPORTED_LIBS)
set(_flow_queue ${_flow_exported})
while(_flow_queue)
  list(POP_FRONT _flow_queue _flow_lib)
  get_target_property(_flow_links ${_flow_lib} INTERFACE_LINK_LIBRARIES)
  if(NOT _flow_links)
    continue()
  endif()
  foreach(_flow_dep IN LISTS _flow_links)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _flow_dep "${_flow_dep}")
    if(NOT TARGET "${_flow_dep}")
      continue()
    endif()
    get_target_property(_flow_aliased ${_flow_dep} ALIASED_TARGET)
    if(_flow_aliased)
      set(_flow_dep ${_flow_aliased})
    endif()
    get_target_property(_flow_imported ${_flow_dep} IMPORTED)
    if(_flow_imported OR _flow_dep IN_LIST _flow_exported)
      continue()
    endif()
    message(STATUS "FlowMLIR package: also exporting ${_flow_dep} "
                   "(linked by ${_flow_lib})")
    install(TARGETS ${_flow_dep} EXPORT FlowMLIRTargets
      ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT FlowMLIR
      LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT FlowMLIR
      RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT FlowMLIR)
    list(APPEND _flow_exported ${_flow_dep})
    list(APPEND _flow_queue ${_flow_dep})
  endforeach()
endwhile()

# The package: targets FlowMLIR::<lib>, a config and a version file.
install(EXPORT FlowMLIRTargets
  NAMESPACE FlowMLIR::
  DESTINATION ${FLOW_MLIR_INSTALL_CMAKEDIR} COMPONENT FlowMLIR)

include(CMakePackageConfigHelpers)
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/FlowMLIRConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/FlowMLIRConfig.cmake
  INSTALL_DESTINATION ${FLOW_MLIR_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR
            CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/FlowMLIRConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
    ${PROJECT_BINARY_DIR}/cmake/FlowMLIRConfig.cmake
    ${PROJECT_BINARY_DIR}/cmake/FlowMLIRConfigVersion.cmake
  DESTINATION ${FLOW_MLIR_INSTALL_CMAKEDIR} COMPONENT FlowMLIR)
