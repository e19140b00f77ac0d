# gen_rom_ld.cmake — turns the ROM symbol table (models/rom/rom_symbols.inc, an X-macro list
# generated from the public ROM symbol list) into linker-script PROVIDEs for firmware.
#
#   cmake -DIN=models/rom/rom_symbols.inc -DEXT=models/rom/rom.h -DOUT=build/.../rom_symbols.ld
#         -P gen_rom_ld.cmake
#
# For every entry X(name, 0xADDRu) of ESP_ROM_FUNCS and ESP_ROM_DATA it writes
#   PROVIDE ( name = 0xADDR );      the usual name: used only when nothing else defines it
#   PROVIDE ( rom_name = 0xADDR );  always the ROM routine, even where libc/libgcc define the
#                                   plain name (memcpy, strlen, __divsi3 ...): see espsim_rom.h
# and, from EXT (models/rom/rom.h), the espsim extension entry points: closed-SDK (libmain)
# services that espsim models in C at otherwise unused ROM addresses (ESP_ROM_EXT_*). Each is
# bound to its NONOS name, so firmware/sdk has no C body for them:
#   PROVIDE ( ets_timer_arm_new = 0x4000FF40 );   /* ESP_ROM_EXT_TIMER_ARM_NEW */
# The name <-> define table is below; every define must be found in EXT.
# The output is rewritten only when its contents change, so relinking follows real changes.
if(NOT IN OR NOT OUT OR NOT EXT)
  message(FATAL_ERROR
          "usage: cmake -DIN=rom_symbols.inc -DEXT=rom.h -DOUT=rom_symbols.ld -P gen_rom_ld.cmake")
endif()
set(ext_names
  ESP_ROM_EXT_TIMER_ARM_NEW=ets_timer_arm_new
  ESP_ROM_EXT_TIMER_REINIT=system_timer_reinit
  ESP_ROM_EXT_SOFT_WDT_FEED=system_soft_wdt_feed
  ESP_ROM_EXT_SOFT_WDT_STOP=system_soft_wdt_stop
  ESP_ROM_EXT_SOFT_WDT_RESTART=system_soft_wdt_restart
  ESP_ROM_EXT_ESP_NOW_INIT=esp_now_init
  ESP_ROM_EXT_ESP_NOW_DEINIT=esp_now_deinit
  ESP_ROM_EXT_ESP_NOW_SET_SELF_ROLE=esp_now_set_self_role
  ESP_ROM_EXT_ESP_NOW_GET_SELF_ROLE=esp_now_get_self_role
  ESP_ROM_EXT_ESP_NOW_ADD_PEER=esp_now_add_peer
  ESP_ROM_EXT_ESP_NOW_DEL_PEER=esp_now_del_peer
  ESP_ROM_EXT_ESP_NOW_SET_KOK=esp_now_set_kok
  ESP_ROM_EXT_ESP_NOW_REGISTER_RECV_CB=esp_now_register_recv_cb
  ESP_ROM_EXT_ESP_NOW_UNREGISTER_RECV_CB=esp_now_unregister_recv_cb
  ESP_ROM_EXT_ESP_NOW_REGISTER_SEND_CB=esp_now_register_send_cb
  ESP_ROM_EXT_ESP_NOW_UNREGISTER_SEND_CB=esp_now_unregister_send_cb
  ESP_ROM_EXT_ESP_NOW_SEND=esp_now_send
  ESP_ROM_EXT_ESP_NOW_GET_CNT_INFO=esp_now_get_cnt_info
  ESP_ROM_EXT_ESP_NOW_IS_PEER_EXIST=esp_now_is_peer_exist
  ESP_ROM_EXT_ESP_NOW_FETCH_PEER=esp_now_fetch_peer
  ESP_ROM_EXT_ESP_NOW_GET_PEER_CHANNEL=esp_now_get_peer_channel
  ESP_ROM_EXT_ESP_NOW_SET_PEER_CHANNEL=esp_now_set_peer_channel
  ESP_ROM_EXT_ESP_NOW_GET_PEER_ROLE=esp_now_get_peer_role
  ESP_ROM_EXT_ESP_NOW_SET_PEER_ROLE=esp_now_set_peer_role
  ESP_ROM_EXT_ESP_NOW_GET_PEER_KEY=esp_now_get_peer_key
  ESP_ROM_EXT_ESP_NOW_SET_PEER_KEY=esp_now_set_peer_key
  ESP_ROM_EXT_WIFI_SET_OPMODE=wifi_set_opmode
  ESP_ROM_EXT_WIFI_SET_OPMODE_CURRENT=wifi_set_opmode_current
  ESP_ROM_EXT_WIFI_GET_OPMODE=wifi_get_opmode
  ESP_ROM_EXT_WIFI_SET_CHANNEL=wifi_set_channel
  ESP_ROM_EXT_WIFI_GET_CHANNEL=wifi_get_channel
  ESP_ROM_EXT_WIFI_GET_MACADDR=wifi_get_macaddr
  ESP_ROM_EXT_WIFI_SET_MACADDR=wifi_set_macaddr)
file(READ "${IN}" text)
string(REGEX MATCHALL "X\\([A-Za-z_][A-Za-z0-9_]*, *0x[0-9A-Fa-f]+u?\\)" entries "${text}")
list(LENGTH entries n)
if(n LESS 100)
  message(FATAL_ERROR "${IN}: only ${n} ROM symbols found (expected the full ROM table)")
endif()
get_filename_component(in_name "${IN}" NAME)
set(out "/* Generated from ${in_name} by firmware/sdk/ld/gen_rom_ld.cmake. Do not edit. */\n")
string(APPEND out "/* ${n} ROM symbols: PROVIDE(name) and PROVIDE(rom_name) for each. */\n")
foreach(e IN LISTS entries)
  string(REGEX REPLACE "X\\(([A-Za-z0-9_]+), *(0x[0-9A-Fa-f]+)u?\\)" "\\1;\\2" pair "${e}")
  list(GET pair 0 name)
  list(GET pair 1 addr)
  string(APPEND out "PROVIDE ( ${name} = ${addr} );\nPROVIDE ( rom_${name} = ${addr} );\n")
endforeach()
file(READ "${EXT}" ext_text)
get_filename_component(ext_file "${EXT}" NAME)
string(APPEND out "/* espsim extension entry points (${ext_file} ESP_ROM_EXT_*): NONOS libmain names. */\n")
foreach(pair IN LISTS ext_names)
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 define)
  list(GET pair 1 name)
  if(NOT ext_text MATCHES "#define[ \t]+${define}[ \t]+(0x[0-9A-Fa-f]+)u?")
    message(FATAL_ERROR "${EXT}: no '#define ${define} 0x...' (needed for ${name})")
  endif()
  set(addr "${CMAKE_MATCH_1}")
  string(APPEND out "PROVIDE ( ${name} = ${addr} );   /* ${define} */\n")
endforeach()
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL out)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${out}")
